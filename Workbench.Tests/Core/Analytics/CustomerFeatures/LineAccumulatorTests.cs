using System.Text;
using Workbench.Core.Customers;
using Workbench.Core.Analytics.CustomerFeatures;

namespace Workbench.Tests.Core.Analytics.CustomerFeatures;

public sealed class LineAccumulatorTests
{
    private static readonly string[] Categories = ["Grocery", "Home", "Toys", "Beauty"];
    private static readonly string[] Skus = ["B1", "G1", "G2", "H1", "H2", "T1", "T2", "T3"];
    private static readonly int[] ProductCategory = [3, 0, 0, 1, 1, 2, 2, 2];
    private static readonly string?[] ChannelNames = [null, "store", "web", "app"];

    // The rebuild's allocation-light reduction against the reference (FeatureCalculator over CustomerKpis) on 2,000
    // random customers: returns, discounts, zero prices, unknown skus, several orders a day, lines of one order apart.
    [Fact]
    public void Compute_RandomCustomers_AgreesWithTheReferenceCalculator()
    {
        var random = new Random(20261125);
        var today = new DateOnly(2026, 11, 25);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var accumulator = new LineAccumulator(Categories, Skus, ProductCategory);
        for (var customer = 0; customer < 2_000; customer++)
        {
            var lines = RandomLines(random, today);
            accumulator.Clear();
            foreach (var line in lines)
            {
                var order = accumulator.Order(Encoding.UTF8.GetBytes(line.OrderId));
                var product = Array.IndexOf(Skus, line.Sku);
                var channel = (byte)Array.IndexOf(ChannelNames, line.Channel);
                accumulator.Add(order, line.OrderedAt.Ticks, product, line.Quantity, line.UnitPrice, line.Discount, channel);
            }
            var useZone = customer % 2 == 0 ? zone : null;

            var fast = accumulator.Compute($"C{customer}", today, useZone);
            var reference = FeatureCalculator.Compute($"C{customer}", lines, today, useZone);

            AssertSame(reference, fast, customer);
        }
    }

    private static List<KpiLine> RandomLines(Random random, DateOnly today)
    {
        var lines = new List<KpiLine>();
        var orders = random.Next(0, 9);
        for (var o = 0; o < orders; o++)
        {
            var at = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(-random.Next(0, 400)).AddMinutes(random.Next(0, 1440));
            if (o > 0 && random.Next(4) == 0) at = lines[^1].OrderedAt.AddHours(random.Next(0, 3));
            var channel = ChannelNames[random.Next(ChannelNames.Length)];
            var count = random.Next(1, 4);
            for (var l = 0; l < count; l++)
            {
                var product = random.Next(Skus.Length);
                var quantity = random.Next(8) == 0 ? -random.Next(1, 3) : random.Next(1, 4);
                var price = random.Next(10) == 0 ? 0 : Math.Round(random.NextDouble() * 80, 2);
                var discount = random.Next(3) == 0 ? Math.Round(price * 0.2, 2) : 0;
                lines.Add(new KpiLine($"O{o}", at, Skus[product], quantity, price, discount, null, Categories[ProductCategory[product]], channel));
            }
        }
        return lines.OrderBy(_ => random.Next()).ToList();
    }

    private static void AssertSame(CustomerFeatureSummary expected, CustomerFeatureSummary actual, int customer)
    {
        var because = $"customer {customer}";
        Assert.True(expected.Orders == actual.Orders, because);
        Near(expected.GrossRevenue, actual.GrossRevenue, because);
        Near(expected.Returns, actual.Returns, because);
        Near(expected.NetRevenue, actual.NetRevenue, because);
        Near(expected.AverageOrderValue, actual.AverageOrderValue, because);
        Assert.True(expected.FirstPurchaseAt == actual.FirstPurchaseAt && expected.LastPurchaseAt == actual.LastPurchaseAt, because);
        Assert.True(expected.RecencyDays == actual.RecencyDays && expected.TenureDays == actual.TenureDays, because);
        Near(expected.MeanDaysBetweenOrders, actual.MeanDaysBetweenOrders, because);
        Assert.True(expected.ExpectedNextPurchaseAt == actual.ExpectedNextPurchaseAt, because);
        Assert.True(expected.Categories.Count == actual.Categories.Count, because);
        for (var i = 0; i < expected.Categories.Count; i++)
        {
            var (e, a) = (expected.Categories[i], actual.Categories[i]);
            Assert.True(e.Category == a.Category && e.Orders == a.Orders && e.LastBoughtAt == a.LastBoughtAt, $"{because}, category {i}");
            Near(e.NetSpend, a.NetSpend, because);
            Near(e.Share, a.Share, because);
        }
        Near(expected.PromoShare, actual.PromoShare, because);
        Near(expected.StoreShare, actual.StoreShare, because);
        Near(expected.WebShare, actual.WebShare, because);
        Near(expected.AppShare, actual.AppShare, because);
        Assert.True(expected.FavouriteWeekday == actual.FavouriteWeekday && expected.FavouriteDaypart == actual.FavouriteDaypart, because);
        Near(expected.ReturnsRate, actual.ReturnsRate, because);
        Assert.True(expected.Repeat?.X == actual.Repeat?.X, because);
        Near(expected.Repeat?.Tx, actual.Repeat?.Tx, because);
        Near(expected.Repeat?.T, actual.Repeat?.T, because);
        Assert.True(expected.Spend?.X == actual.Spend?.X, because);
        Near(expected.Spend?.MeanValue, actual.Spend?.MeanValue, because);
        Assert.True((expected.First is null) == (actual.First is null), because);
        if (expected.First is { } e1 && actual.First is { } a1)
        {
            Assert.Equal(e1.Day, a1.Day);
            Assert.Equal(e1.SecondDay, a1.SecondDay);
            Assert.Equal(e1.Categories, a1.Categories);
            Assert.Equal(e1.Skus, a1.Skus);
            Assert.Equal(e1.Steps.OrderBy(x => x.From, StringComparer.Ordinal).ThenBy(x => x.To, StringComparer.Ordinal).ToList(), a1.Steps.OrderBy(x => x.From, StringComparer.Ordinal).ThenBy(x => x.To, StringComparer.Ordinal).ToList());
        }
    }

    private static void Near(double? expected, double? actual, string because)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{because}: {expected} vs {actual}");
        if (expected is { } e) Assert.True(Math.Abs(e - actual!.Value) <= 1e-9 * Math.Max(1, Math.Abs(e)), $"{because}: {e} vs {actual}");
    }
}
