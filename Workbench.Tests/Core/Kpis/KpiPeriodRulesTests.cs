using Workbench.Core.Kpis;

namespace Workbench.Tests.Core.Kpis;

public sealed class KpiPeriodRulesTests
{
    [Theory]
    [InlineData(KpiPeriodKind.LastMonth, "2026-11", "2026-10", "2025-11")]
    [InlineData(KpiPeriodKind.LastThreeMonths, "2026-09 to 2026-11", "2026-06 to 2026-08", "2025-09 to 2025-11")]
    [InlineData(KpiPeriodKind.YearToDate, "2026-01 to 2026-11", "2025-02 to 2025-12", "2025-01 to 2025-11")]
    [InlineData(KpiPeriodKind.LastTwelveMonths, "2025-12 to 2026-11", "2024-12 to 2025-11", "2024-12 to 2025-11")]
    public void Resolve_OnTheFirstOfDecember_TakesWholeMonthsUpToNovember(KpiPeriodKind kind, string current, string previous, string lastYear)
    {
        var periods = KpiPeriodRules.Resolve(kind, new DateOnly(2026, 12, 1));
        Assert.Equal((current, previous, lastYear), (periods.Current.Label, periods.Previous.Label, periods.LastYear.Label));
    }

    [Fact]
    public void Resolve_YearToDateInJanuary_IsTheWholePreviousYear()
    {
        var periods = KpiPeriodRules.Resolve(KpiPeriodKind.YearToDate, new DateOnly(2027, 1, 31));
        Assert.Equal(("2026-01 to 2026-12", 12), (periods.Current.Label, periods.Current.Months));
        Assert.Equal("2025-01 to 2025-12", periods.Previous.Label);
    }

    [Fact]
    public void Change_AgainstZero_HasNoPercent()
    {
        Assert.Equal(new KpiChange(5, null), KpiChange.Of(5, 0));
        Assert.Equal(new KpiChange(null, null), KpiChange.Of(5, null));
        Assert.Equal(new KpiChange(-3, -75), KpiChange.Of(1, 4));
    }
}
