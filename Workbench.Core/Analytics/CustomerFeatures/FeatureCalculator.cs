using Workbench.Core.Customers;
using Workbench.Core.Analytics.Clv;

namespace Workbench.Core.Analytics.CustomerFeatures;

// The reference computation of a customer's features: plain LINQ over the lines, money and orders straight from the
// Customer 360's KPI engine (CustomerKpis). FeatureService uses the allocation-light LineAccumulator, which a property
// test holds to these results.
public static class FeatureCalculator
{
    public const double DaysPerWeek = 7.0;

    // today is the as-of date (UTC); zone turns order times into the customer's local weekday and hour (UTC when null).
    public static CustomerFeatureSummary Compute(string customerId, IReadOnlyCollection<KpiLine> lines, DateOnly today, TimeZoneInfo? zone)
    {
        var kpis = CustomerKpis.Compute(lines, today);
        var purchases = lines.Where(l => l.Quantity > 0).ToList();

        int? tenure = kpis.FirstPurchaseAt is { } first ? today.DayNumber - DateOnly.FromDateTime(first).DayNumber : null;
        double? meanGap = kpis.Orders >= 2 && kpis.FirstPurchaseAt is { } f && kpis.LastPurchaseAt is { } l
            ? (l - f).TotalDays / (kpis.Orders - 1)
            : null;
        DateTime? next = meanGap is { } gap && kpis.LastPurchaseAt is { } last ? last.AddDays(gap) : null;

        var gross = kpis.GrossRevenue;
        var categories = lines
            .Where(x => x.Quantity != 0)
            .GroupBy(x => x.Category ?? "(unknown)")
            .Select(g =>
            {
                var bought = g.Where(x => x.Quantity > 0).ToList();
                var categoryGross = bought.Sum(CustomerKpis.Amount);
                var net = g.Sum(CustomerKpis.Amount);
                return new CategoryActivity(g.Key, net, gross > 0 ? categoryGross / gross : 0,
                    bought.Select(x => x.OrderId).Distinct().Count(),
                    bought.Count > 0 ? bought.Max(x => x.OrderedAt) : g.Max(x => x.OrderedAt));
            })
            .Where(c => c.Orders > 0)
            .OrderByDescending(c => c.Share).ThenBy(c => c.Category, StringComparer.Ordinal)
            .ToList();

        double? promo = gross > 0 ? purchases.Where(x => x.Discount > 0).Sum(CustomerKpis.Amount) / gross : null;
        double? Share(string channel) => kpis.Orders > 0
            ? kpis.ChannelMix.FirstOrDefault(c => c.Channel == channel)?.Share ?? 0
            : null;

        // Favourite weekday and daypart by orders, in local time; ties go to the earlier weekday / daypart.
        var orderTimes = purchases.GroupBy(x => x.OrderId).Select(g => Local(g.Min(x => x.OrderedAt), zone)).ToList();
        int? weekday = orderTimes.Count == 0 ? null : orderTimes
            .GroupBy(t => ((int)t.DayOfWeek + 6) % 7)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var daypart = orderTimes.Count == 0 ? null : orderTimes
            .GroupBy(t => Dayparts.Of(t.Hour))
            .OrderByDescending(g => g.Count()).ThenBy(g => Dayparts.All.IndexOf(g.Key)).First().Key;

        double? returnsRate = gross > 0 ? kpis.Returns / gross : null;
        var (repeat, spend) = RepeatSummary(purchases, today);
        var firstPurchase = First(purchases, today);

        return new CustomerFeatureSummary(customerId, kpis.Orders, kpis.GrossRevenue, kpis.Returns, kpis.NetRevenue, kpis.AverageOrderValue,
            kpis.FirstPurchaseAt, kpis.LastPurchaseAt, kpis.DaysSinceLastPurchase, tenure, meanGap, next, categories, promo,
            Share("store"), Share("web"), Share("app"), weekday, daypart, returnsRate, repeat, spend, firstPurchase);
    }

    // The literature's conventions: purchase days (several orders on one day count once); x = days after the first;
    // t_x = first to last purchase day, T = first purchase day to the calibration end inclusive, in weeks; the spend
    // of a repeat day is its gross amount, and the monetary value is their mean (the first day left out).
    public static (RepeatHistory? Repeat, SpendHistory? Spend) RepeatSummary(IEnumerable<KpiLine> purchases, DateOnly calibrationEnd)
    {
        var days = purchases
            .Where(x => x.Quantity > 0 && DateOnly.FromDateTime(x.OrderedAt) <= calibrationEnd)
            .GroupBy(x => DateOnly.FromDateTime(x.OrderedAt))
            .Select(g => (Day: g.Key, Value: g.Sum(CustomerKpis.Amount)))
            .OrderBy(d => d.Day)
            .ToList();
        if (days.Count == 0) return (null, null);
        var firstDay = days[0].Day;
        var x = days.Count - 1;
        var tx = (days[^1].Day.DayNumber - firstDay.DayNumber) / DaysPerWeek;
        var t = (calibrationEnd.DayNumber - firstDay.DayNumber + 1) / DaysPerWeek;
        var repeat = new RepeatHistory(x, tx, t);
        var spend = x >= 1 ? new SpendHistory(x, days.Skip(1).Average(d => d.Value)) : null;
        return (repeat, spend);
    }

    public static FirstPurchase? First(IEnumerable<KpiLine> purchases, DateOnly today)
    {
        var days = purchases
            .Where(x => x.Quantity > 0 && DateOnly.FromDateTime(x.OrderedAt) <= today)
            .GroupBy(x => DateOnly.FromDateTime(x.OrderedAt))
            .OrderBy(g => g.Key)
            .Select(g => (Day: g.Key, Categories: g.Select(x => x.Category ?? "(unknown)").Distinct().Order(StringComparer.Ordinal).ToList(),
                Skus: g.Select(x => x.Sku).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList();
        if (days.Count == 0) return null;
        var steps = new List<CategoryStep>();
        for (var i = 1; i < days.Count; i++)
        {
            foreach (var from in days[i - 1].Categories)
            {
                foreach (var to in days[i].Categories) steps.Add(new CategoryStep(from, to));
            }
        }
        return new FirstPurchase(days[0].Day, days[0].Categories, days[0].Skus, days.Count > 1 ? days[1].Day : null, steps);
    }

    private static DateTime Local(DateTime utc, TimeZoneInfo? zone) =>
        zone is null ? utc : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}

internal static class ListExtensions
{
    public static int IndexOf<T>(this IReadOnlyList<T> list, T item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(list[i], item)) return i;
        }
        return -1;
    }
}
