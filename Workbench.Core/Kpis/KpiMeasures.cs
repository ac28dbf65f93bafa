using System.Globalization;
using Workbench.Core.Csv;

namespace Workbench.Core.Kpis;

public enum KpiUnit { Money, Count, Share }

public sealed record KpiMeasure(string Key, string Title, KpiUnit Unit, Func<KpiFigures, double?> Value)
{
    public string Format(double? value) => value is not { } v ? "–" : Unit switch
    {
        KpiUnit.Money => v.ToString("N2", CultureInfo.InvariantCulture),
        KpiUnit.Share => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %",
        _ => v.ToString("N0", CultureInfo.InvariantCulture),
    };

    public string FormatChange(KpiChange change) => change.Absolute is not { } a ? "–" : Unit switch
    {
        KpiUnit.Share => (a >= 0 ? "+" : "") + (a * 100).ToString("0.0", CultureInfo.InvariantCulture) + " pts",
        _ => (a >= 0 ? "+" : "") + Format(a),
    };
}

// The figures of the overview, in the order the page shows them, and the CSV files beside its charts and table: each
// row names the chart, its subject and the date, so a file taken out of its folder still says what it holds.
public static class KpiMeasures
{
    public static readonly IReadOnlyList<KpiMeasure> All =
    [
        new("net-revenue", "Net revenue", KpiUnit.Money, f => f.NetRevenue),
        new("orders", "Orders", KpiUnit.Count, f => f.Orders),
        new("active-customers", "Active customers (90 days)", KpiUnit.Count, f => f.ActiveCustomers),
        new("new-customers", "New customers", KpiUnit.Count, f => f.NewCustomers),
        new("returning-customers", "Returning customers", KpiUnit.Count, f => f.ReturningCustomers),
        new("repeat-rate", "Repeat rate", KpiUnit.Share, f => f.RepeatRate),
        new("average-order-value", "Average order value", KpiUnit.Money, f => f.AverageOrderValue),
        new("margin", "Margin", KpiUnit.Money, f => f.Margin),
    ];

    // Each month with the same month a year earlier beside it (the baseline the monthly charts draw; empty where the
    // store has no such month).
    public static string MonthlyCsv(KpiOverview overview, KpiMeasure measure, string title) =>
        Write(["chart", "subject", "date", "group", "month", measure.Key.Replace('-', '_'), "same_month_a_year_earlier"], overview.Groups.SelectMany(g =>
            g.Months.Zip(YearEarlier(g.Months, measure), (m, before) =>
                new[] { title, overview.MonthlySubject, Date(overview), g.Name, m.Month, Number(measure.Value(m.Figures)), Number(before) })));

    // The baseline of each month of a series: the measure in the same month a year earlier, null where the series has
    // no such month (before the first purchase) or the measure is undefined there. The KPI pack draws the same baseline.
    public static IReadOnlyList<double?> YearEarlier(IReadOnlyList<KpiMonth> months, KpiMeasure measure)
    {
        var byMonth = months.ToDictionary(m => m.Month, m => m.Figures, StringComparer.Ordinal);
        return months.Select(m =>
        {
            var month = DateOnly.ParseExact(m.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(-12);
            return byMonth.TryGetValue(MonthRange.Key(month), out var before) ? measure.Value(before) : null;
        }).ToList();
    }

    public static string ComparisonCsv(KpiOverview overview, string title)
    {
        var p = overview.Periods;
        return Write(["chart", "subject", "date", "group", "figure", $"current ({p.Current.Label})", $"previous ({p.Previous.Label})",
                "change_vs_previous", "change_vs_previous_pct", $"last_year ({p.LastYear.Label})", "change_vs_last_year", "change_vs_last_year_pct"],
            All.SelectMany(measure => overview.Groups.Select(g =>
            {
                var (now, before, year) = (measure.Value(g.Comparison.Current), measure.Value(g.Comparison.Previous), measure.Value(g.Comparison.LastYear));
                var (vsPrevious, vsYear) = (KpiChange.Of(now, before), KpiChange.Of(now, year));
                return new[]
                {
                    title, overview.PeriodSubject, Date(overview), g.Name, measure.Title, Number(now), Number(before), Number(vsPrevious.Absolute),
                    Number(vsPrevious.Percent), Number(year), Number(vsYear.Absolute), Number(vsYear.Percent),
                };
            })));
    }

    public static string ChurnCsv(KpiOverview overview, string title) =>
        Write(["chart", "subject", "date", "group", "churned", "with_p_alive", "share"], overview.Groups.Select(g =>
            new[] { title, overview.ChurnSubject, Date(overview), g.Name, Number(g.Churn.Churned), Number(g.Churn.Scored), Number(g.Churn.Share) }));

    private static string Date(KpiOverview overview) => overview.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    private static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = SafeCsv.CreateWriter(text))
        {
            csv.WriteRow(header);
            foreach (var row in rows) csv.WriteRow(row);
        }
        return text.ToString();
    }
}
