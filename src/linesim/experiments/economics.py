"""Money: monthly scaling from the calendar, net value, payback and net present value.

Units: gains in good units per month; money in the scenario's currency; payback in working
days and in months. A *month* is the calendar's average month: the working days of the
scenario calendar (its workdays and holidays) over the year that starts on the horizon's
first day, divided by 12 (a Monday-Friday plant has about 21.7, Monday-Saturday about 26.1).
The simulated period is only used to turn its own output into a rate per working day.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..engine.calendar import is_working_day
from ..scenario.model import Scenario

#: defaults stated in every report: yearly discount rate and the appraisal horizon
DEFAULT_RATE = 0.08
DEFAULT_HORIZON_MONTHS = 24


def working_days_per_month(scenario: Scenario) -> float:
    """Average working days in a month of the scenario's calendar: the working days of the
    365 days from the horizon start, divided by 12."""
    start = scenario.horizon.start
    days = sum(is_working_day(scenario, start + dt.timedelta(days=d)) for d in range(365))
    return days / 12.0


@dataclass(frozen=True)
class Appraisal:
    """How money over time is valued: ``rate`` a year (e.g. 0.08), over ``horizon_months``
    months, paid monthly in arrears."""

    rate: float = DEFAULT_RATE
    horizon_months: int = DEFAULT_HORIZON_MONTHS

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1:
            raise ValueError(f"rate must be between 0 and 1 (a yearly fraction), got {self.rate}")
        if not 1 <= self.horizon_months <= 600:
            raise ValueError(f"horizon must be 1 to 600 months, got {self.horizon_months}")

    @property
    def annuity(self) -> float:
        """Present value of 1 currency unit a month over the horizon (months)."""
        i = (1 + self.rate) ** (1 / 12) - 1
        if i == 0:
            return float(self.horizon_months)
        return (1 - (1 + i) ** -self.horizon_months) / i

    def npv(self, monthly_net: float, one_off: float) -> float:
        """Net present value of paying ``one_off`` now and earning ``monthly_net`` a month."""
        return monthly_net * self.annuity - one_off

    def describe(self) -> str:
        return (f"net present value at {100 * self.rate:g}% a year over "
                f"{self.horizon_months} months")


def monthly_net(gain: float, margin: float, monthly_cost: float) -> float:
    """Monthly net value: gain (units/month) x margin - running cost (currency/month)."""
    return gain * margin - monthly_cost


def payback_days(one_off: float, net: float, days_per_month: float) -> float:
    """Working days until ``net`` a month earns back ``one_off``: inf if the net is not
    positive (it never pays), 0 for no one-off cost and a positive net."""
    if net <= 0:
        return math.inf
    return one_off / (net / days_per_month) if one_off > 0 else 0.0


def payback_interval(one_off: float, nets: tuple[float, float, float],
                     days_per_month: float) -> tuple[float, float, float]:
    """Payback (working days) at the mean, the high and the low end of the monthly-net
    interval: payback falls as net rises, so the interval of the net maps to the interval of
    the payback (the upper end is inf when the low net does not pay back)."""
    mean, lo, hi = nets
    return (payback_days(one_off, mean, days_per_month),
            payback_days(one_off, hi, days_per_month),
            payback_days(one_off, lo, days_per_month))
