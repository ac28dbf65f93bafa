using System.Globalization;

namespace Workbench.Core.Kpis;

public enum KpiSplit { None, Region, Channel, Tier, Segment }

public enum KpiPeriodKind { LastMonth, LastThreeMonths, YearToDate, LastTwelveMonths }

public sealed record KpiQuery(KpiPeriodKind Period = KpiPeriodKind.LastMonth, KpiSplit Split = KpiSplit.None, long? SegmentId = null);

// Whole calendar months, From and To the first day of their month, both included.
public sealed record MonthRange(DateOnly From, DateOnly To)
{
    public string FromKey => Key(From);
    public string ToKey => Key(To);
    public int Months => (To.Year - From.Year) * 12 + To.Month - From.Month + 1;
    public string Label => From == To ? FromKey : $"{FromKey} to {ToKey}";

    public static string Key(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

// The chosen period, the one of the same length right before it, and the same months a year earlier.
public sealed record KpiPeriods(KpiPeriodKind Kind, MonthRange Current, MonthRange Previous, MonthRange LastYear);

// Sums over a month or a period, and what follows from them. Buyers: customers with a purchase in it; new: their first
// purchase ever is in it; returning: bought in it and before it. Active: bought in the 90 days ending at its last
// month's end, both ends included.
public sealed record KpiFigures(double Gross, double Returns, long Orders, long Buyers, long NewCustomers, long ActiveCustomers,
    long CostedLines, double MarginSum, double CostedGross)
{
    public static readonly KpiFigures Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public double NetRevenue => Gross - Returns;
    public long ReturningCustomers => Buyers - NewCustomers;
    public double? RepeatRate => Buyers > 0 ? (double)ReturningCustomers / Buyers : null;
    public double? AverageOrderValue => Orders > 0 ? NetRevenue / Orders : null;
    public double? Margin => CostedLines > 0 ? MarginSum : null;
    // Share of the gross revenue from lines whose product has a unit cost.
    public double? MarginCoverage => Gross > 0 ? CostedGross / Gross : null;
}

public sealed record KpiMonth(string Month, KpiFigures Figures);

public sealed record KpiComparison(KpiFigures Current, KpiFigures Previous, KpiFigures LastYear);

// Current, not history: customers whose P(alive) from the latest feature computation is below 0.5, of those with one.
public sealed record KpiChurn(long Churned, long Scored)
{
    public double? Share => Scored > 0 ? (double)Churned / Scored : null;
}

public sealed record KpiGroup(string Name, IReadOnlyList<KpiMonth> Months, KpiComparison Comparison, KpiChurn Churn);

public enum KpiState { Empty, NotComputed, Ready }

public sealed record KpiSegmentOption(long Id, string Name);

public sealed record KpiOverview(KpiQuery Query, DateOnly Today, KpiPeriods Periods, KpiState State, string? SegmentName,
    MonthRange? Months, IReadOnlyList<KpiGroup> Groups, DateTime? ChurnComputedAt)
{
    // Whom the charts are about, for their titles and file names.
    public string SplitLabel => Query.Split switch
    {
        KpiSplit.Region => "by region",
        KpiSplit.Channel => "by channel",
        KpiSplit.Tier => "by loyalty tier",
        KpiSplit.Segment => $"segment {SegmentName} vs the rest",
        _ => "all customers",
    };

    public string MonthlySubject => Months is null ? SplitLabel : $"{SplitLabel}, {Months.Label}";

    public string PeriodSubject => $"{SplitLabel}, {Periods.Current.Label}";

    public string ChurnSubject => $"{SplitLabel}, current";
}

public sealed record KpiChange(double? Absolute, double? Percent)
{
    public static KpiChange Of(double? now, double? then) => now is { } n && then is { } t
        ? new KpiChange(n - t, t != 0 ? (n - t) / Math.Abs(t) * 100 : null)
        : new KpiChange(null, null);
}
