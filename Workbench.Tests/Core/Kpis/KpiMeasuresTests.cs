using Workbench.Core.Kpis;

namespace Workbench.Tests.Core.Kpis;

public sealed class KpiMeasuresTests
{
    private static readonly KpiFigures May = new(Gross: 110, Returns: 50, Orders: 2, Buyers: 2, NewCustomers: 0, ActiveCustomers: 2,
        CostedLines: 1, MarginSum: 6, CostedGross: 10);

    private static KpiOverview Overview(string group) => new(new KpiQuery(Split: KpiSplit.Region), new DateOnly(2026, 6, 15),
        KpiPeriodRules.Resolve(KpiPeriodKind.LastMonth, new DateOnly(2026, 6, 15)), KpiState.Ready, null,
        new MonthRange(new DateOnly(2026, 5, 1), new DateOnly(2026, 6, 1)),
        [new KpiGroup(group, [new KpiMonth("2026-05", May), new KpiMonth("2026-06", KpiFigures.Zero)],
            new KpiComparison(May, KpiFigures.Zero with { Gross = 30 }, KpiFigures.Zero), new KpiChurn(1, 4))], null);

    [Fact]
    public void MonthlyCsv_EveryRowNamesTheChartSubjectAndDate()
    {
        var csv = KpiMeasures.MonthlyCsv(Overview("North"), KpiMeasures.All[0], "Net revenue by month");

        Assert.Equal(
            "chart,subject,date,group,month,net_revenue,same_month_a_year_earlier\r\n" +
            "Net revenue by month,\"by region, 2026-05 to 2026-06\",2026-06-15,North,2026-05,60,\r\n" +
            "Net revenue by month,\"by region, 2026-05 to 2026-06\",2026-06-15,North,2026-06,0,\r\n", csv);
    }

    // The baseline is the same month a year earlier from the group's own series: May 2026 against May 2025 (net revenue
    // 110 − 50 = 60 there), nothing for June 2026 (no June 2025 in the series) or for the months of 2025 themselves.
    [Fact]
    public void YearEarlier_IsTheSameMonthTwelveMonthsBefore_WhereTheSeriesHasIt()
    {
        var group = new KpiGroup("everyone",
            [new KpiMonth("2025-05", May), new KpiMonth("2025-06", KpiFigures.Zero with { Gross = 7 }), new KpiMonth("2026-05", KpiFigures.Zero with { Gross = 90 }),
             new KpiMonth("2026-06", KpiFigures.Zero with { Gross = 20 })],
            new KpiComparison(May, May, May), new KpiChurn(0, 0));

        Assert.Equal([null, null, 60.0, 7.0], KpiMeasures.YearEarlier(group.Months, KpiMeasures.All[0]));
    }

    [Fact]
    public void ComparisonCsv_HasChangesInAbsoluteAndPercent_AndNeutralisesFormulas()
    {
        var lines = KpiMeasures.ComparisonCsv(Overview("=HYPERLINK()"), "KPI comparison").Split("\r\n");

        Assert.StartsWith("chart,subject,date,group,figure,current (2026-05),previous (2026-04),change_vs_previous,change_vs_previous_pct,last_year (2025-05)", lines[0]);
        // Net revenue 60 against 30: +30, +100 %; against 0: +60, no percent.
        Assert.Equal("KPI comparison,\"by region, 2026-05\",2026-06-15,'=HYPERLINK(),Net revenue,60,30,30,100,0,60,", lines[1]);
        // The repeat rate of May: 2 buyers, none new, so both returning: 1; no buyers the month before, so no rate or change.
        Assert.Contains(lines, l => l.EndsWith(",Repeat rate,1,,,,,,"));
    }

    [Fact]
    public void Format_SharesInPercentAndTheirChangeInPoints()
    {
        var repeat = KpiMeasures.All.Single(m => m.Key == "repeat-rate");
        Assert.Equal("66.7 %", repeat.Format(2.0 / 3));
        Assert.Equal("+16.7 pts", repeat.FormatChange(KpiChange.Of(2.0 / 3, 0.5)));
        Assert.Equal("–", repeat.Format(null));
        Assert.Equal("-1,234.50", KpiMeasures.All[0].Format(-1234.5));
    }
}
