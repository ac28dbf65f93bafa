namespace Workbench.Core.Kpis;

// The comparison periods are whole months that have ended: a month in progress would be compared with whole ones.
// Year to date: January to the last full month, of the year that month is in (in January, the whole previous year).
public static class KpiPeriodRules
{
    public static string Label(KpiPeriodKind kind) => kind switch
    {
        KpiPeriodKind.LastMonth => "Last full month",
        KpiPeriodKind.LastThreeMonths => "Last 3 full months",
        KpiPeriodKind.YearToDate => "Year to date (full months)",
        KpiPeriodKind.LastTwelveMonths => "Last 12 full months",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static KpiPeriods Resolve(KpiPeriodKind kind, DateOnly today)
    {
        var last = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var from = kind switch
        {
            KpiPeriodKind.LastMonth => last,
            KpiPeriodKind.LastThreeMonths => last.AddMonths(-2),
            KpiPeriodKind.YearToDate => new DateOnly(last.Year, 1, 1),
            KpiPeriodKind.LastTwelveMonths => last.AddMonths(-11),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var current = new MonthRange(from, last);
        var previous = new MonthRange(from.AddMonths(-current.Months), from.AddMonths(-1));
        var lastYear = new MonthRange(from.AddMonths(-12), last.AddMonths(-12));
        return new KpiPeriods(kind, current, previous, lastYear);
    }
}
