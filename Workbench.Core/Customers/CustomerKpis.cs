namespace Workbench.Core.Customers;

// One order line as the KPI engine needs it; UnitCost is the product's cost when known, Category when the sku resolves.
public sealed record KpiLine(
    string OrderId, DateTime OrderedAt, string Sku, double Quantity, double UnitPrice, double Discount,
    double? UnitCost, string? Category, string? Channel);

public sealed record CategoryShare(string Category, double Revenue, double Share);

public sealed record ChannelShare(string Channel, long Orders, double Share);

public sealed record MonthlySpend(string Month, double Gross, double Returns, double Net);

public sealed record CustomerKpiFigures(
    long Orders,
    double Units,
    double UnitsReturned,
    double GrossRevenue,
    double Returns,
    double NetRevenue,
    double? Margin,
    double MarginCoverage,
    double? AverageOrderValue,
    DateTime? FirstPurchaseAt,
    DateTime? LastPurchaseAt,
    int? DaysSinceLastPurchase,
    IReadOnlyList<CategoryShare> FavouriteCategories,
    double? DiscountedOrderShare,
    IReadOnlyList<ChannelShare> ChannelMix,
    IReadOnlyList<CategoryShare> CategoryMix,
    IReadOnlyList<MonthlySpend> MonthlySpend);

// The customer KPIs from plain order lines. Definitions (also in the README and on the profile):
//   line amount = quantity × unit_price − discount
//   gross revenue = Σ line amount over lines with quantity > 0
//   returns = −Σ line amount over lines with quantity < 0 (a positive amount)
//   net revenue = gross − returns
//   an order = a distinct order_id with at least one line of quantity > 0
//   margin = Σ (line amount − quantity × unit_cost) over all lines whose product has a unit_cost (returns reverse it);
//            null when no line has a known cost; MarginCoverage = share of those lines' gross in all gross
//   average order value = gross revenue / orders
//   favourite categories = the top 3 categories by gross revenue; channel mix = orders per purchase channel
//   share of orders on discount = orders with at least one discounted purchase line / orders
public static class CustomerKpis
{
    public const int FavouriteCount = 3;

    public static CustomerKpiFigures Compute(IReadOnlyCollection<KpiLine> lines, DateOnly today)
    {
        var purchases = lines.Where(l => l.Quantity > 0).ToList();
        var returned = lines.Where(l => l.Quantity < 0).ToList();

        var gross = purchases.Sum(Amount);
        var returns = 0 - returned.Sum(Amount);
        var orderIds = purchases.Select(l => l.OrderId).Distinct().ToList();
        var orders = orderIds.Count;

        var costed = lines.Where(l => l.UnitCost is not null).ToList();
        double? margin = costed.Count == 0 ? null : costed.Sum(l => Amount(l) - l.Quantity * l.UnitCost!.Value);
        var costedGross = costed.Where(l => l.Quantity > 0).Sum(Amount);
        var coverage = gross > 0 ? costedGross / gross : costed.Count > 0 && purchases.Count > 0 ? 1 : 0;

        DateTime? first = purchases.Count > 0 ? purchases.Min(l => l.OrderedAt) : null;
        DateTime? last = purchases.Count > 0 ? purchases.Max(l => l.OrderedAt) : null;
        int? daysSince = last is null ? null : today.DayNumber - DateOnly.FromDateTime(last.Value).DayNumber;

        var categoryMix = purchases
            .GroupBy(l => l.Category ?? "(unknown)")
            .Select(g => (Category: g.Key, Revenue: g.Sum(Amount)))
            .OrderByDescending(c => c.Revenue).ThenBy(c => c.Category, StringComparer.Ordinal)
            .Select(c => new CategoryShare(c.Category, c.Revenue, gross > 0 ? c.Revenue / gross : 0))
            .ToList();

        var discounted = purchases.Where(l => l.Discount > 0).Select(l => l.OrderId).Distinct().Count();

        var channelMix = purchases
            .GroupBy(l => l.Channel ?? "(unknown)")
            .Select(g => (Channel: g.Key, Orders: (long)g.Select(l => l.OrderId).Distinct().Count()))
            .OrderByDescending(c => c.Orders).ThenBy(c => c.Channel, StringComparer.Ordinal)
            .Select(c => new ChannelShare(c.Channel, c.Orders, orders > 0 ? (double)c.Orders / orders : 0))
            .ToList();

        var byMonth = lines
            .Where(l => l.Quantity != 0)
            .GroupBy(l => new DateOnly(l.OrderedAt.Year, l.OrderedAt.Month, 1))
            .ToDictionary(g => g.Key, g =>
            {
                var g1 = g.Where(l => l.Quantity > 0).Sum(Amount);
                var r1 = 0 - g.Where(l => l.Quantity < 0).Sum(Amount);
                return (Gross: g1, Returns: r1);
            });
        // Every month from the first with a line to today's, a month without lines as zero, so the chart shows the gaps.
        var monthly = new List<MonthlySpend>();
        if (byMonth.Count > 0)
        {
            var end = new DateOnly(today.Year, today.Month, 1);
            var latest = byMonth.Keys.Max();
            if (latest > end) end = latest;
            for (var month = byMonth.Keys.Min(); month <= end; month = month.AddMonths(1))
            {
                var (g1, r1) = byMonth.GetValueOrDefault(month);
                monthly.Add(new MonthlySpend(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), g1, r1, g1 - r1));
            }
        }

        return new CustomerKpiFigures(
            Orders: orders,
            Units: purchases.Sum(l => l.Quantity),
            UnitsReturned: 0 - returned.Sum(l => l.Quantity),
            GrossRevenue: gross,
            Returns: returns,
            NetRevenue: gross - returns,
            Margin: margin,
            MarginCoverage: coverage,
            AverageOrderValue: orders > 0 ? gross / orders : null,
            FirstPurchaseAt: first,
            LastPurchaseAt: last,
            DaysSinceLastPurchase: daysSince,
            FavouriteCategories: categoryMix.Take(FavouriteCount).ToList(),
            DiscountedOrderShare: orders > 0 ? (double)discounted / orders : null,
            ChannelMix: channelMix,
            CategoryMix: categoryMix,
            MonthlySpend: monthly);
    }

    public static double Amount(KpiLine line) => line.Quantity * line.UnitPrice - line.Discount;
}
