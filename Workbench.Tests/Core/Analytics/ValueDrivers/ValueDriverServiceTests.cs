using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Analytics.ValueDrivers;
using Workbench.Tests.TestSupport;
using Workbench.Core.Statistics;

namespace Workbench.Tests.Core.Analytics.ValueDrivers;

public sealed class ValueDriverServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void CohensD_TextbookGroups()
    {
        // Group A: 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, sample variance 32/7); group B: 1, 2, 3, 4, 5 (mean 3, variance 2.5).
        // Pooled variance (7 × 32/7 + 4 × 2.5) / 11 = 42/11; d = 2 / √(42/11) = 1.02353263...
        var a = new Moments(8, 40, 4 + 16 * 3 + 25 * 2 + 49 + 81);
        var b = new Moments(5, 15, 1 + 4 + 9 + 16 + 25);
        Assert.Equal(2 / Math.Sqrt(42.0 / 11), EffectSize.CohensD(a, b)!.Value, 12);
        Assert.Equal("large", EffectSize.Magnitude(1.0235));
        Assert.Null(EffectSize.CohensD(new Moments(1, 5, 25), b));
    }

    [Fact]
    public async Task EffectSizes_TopTwentyPercentByNetRevenue_AgainstTheRest()
    {
        // Ten buyers with net revenue 10, 20, …, 100: the top 20% are the two at 90 and 100. Orders: top 8 and 10, the rest
        // 1, 1, 2, 2, 3, 3, 4, 4. Means 9 and 2.5; variances 2 and 10/7; pooled (1×2 + 7×10/7)/8 = 1.5; d = 6.5/√1.5 = 5.3072.
        int[] orders = [1, 1, 2, 2, 3, 3, 4, 4, 8, 10];
        for (var i = 0; i < 10; i++)
        {
            await _store.RowsAsync($"""
                INSERT INTO customer_features (customer_id, orders, net_revenue, category_count, email_opens_90d, email_clicks_90d, computed_at)
                VALUES ('C{i}', {orders[i]}, {10 * (i + 1)}, 1, 0, 0, '2026-06-30 00:00:00')
                """);
        }
        await _store.RowsAsync("INSERT INTO customer_features (customer_id, orders, net_revenue, category_count, email_opens_90d, email_clicks_90d, computed_at) VALUES ('N', 0, 0, 0, 0, 0, '2026-06-30 00:00:00')");

        var report = (await _store.Services.GetRequiredService<ValueDriverService>().EffectSizesAsync(default))!;

        Assert.Equal((10L, 2L, 90.0), (report.Buyers, report.TopCount, report.Threshold));
        var effect = report.Effects.Single(e => e.Feature == "orders");
        Assert.Equal((9.0, 2.5), (effect.TopMean, effect.RestMean));
        Assert.Equal(6.5 / Math.Sqrt(1.5), effect.CohensD!.Value, 10);
        Assert.Equal("orders", report.Effects[0].Feature);
    }

    [Fact]
    public async Task EffectSizes_ProbabilityAlive_AlsoComparedAmongRepeatBuyersOnly()
    {
        // Net revenue 10 … 100: the top 20% are C8 and C9. C0–C4 bought on one day only (C4 twice on that day), so BG/NBD
        // scores them 1; C5–C9 bought on two days, scored 0.9, 0.5, 0.3 (others) and 0.6, 0.8 (top).
        double[] alive = [1, 1, 1, 1, 1, 0.9, 0.5, 0.3, 0.6, 0.8];
        for (var i = 0; i < 10; i++)
        {
            var last = i < 4 ? "2026-03-01 10:00:00" : i == 4 ? "2026-03-01 18:00:00" : "2026-05-01 10:00:00";
            await _store.RowsAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
                INSERT INTO customer_features (customer_id, orders, net_revenue, first_purchase_at, last_purchase_at, probability_alive,
                    category_count, email_opens_90d, email_clicks_90d, computed_at)
                VALUES ('C{i}', {(i < 4 ? 1 : 2)}, {10 * (i + 1)}, '2026-03-01 10:00:00', '{last}', {alive[i]}, 1, 0, 0, '2026-06-30 00:00:00')
                """));
        }

        var report = (await _store.Services.GetRequiredService<ValueDriverService>().EffectSizesAsync(default))!;

        // Over everyone the top scores lower: (0.6 + 0.8) / 2 = 0.70 against (5 × 1 + 0.9 + 0.5 + 0.3) / 8 = 0.8375.
        var all = report.Effects.Single(e => e.Feature == "probability_alive");
        Assert.Equal((0.7, 0.8375), (Math.Round(all.TopMean, 10), Math.Round(all.RestMean, 10)));
        var split = report.Alive!;
        Assert.Equal((2L, 0L, 8L, 5L), (split.TopBuyers, split.TopOneDay, split.RestBuyers, split.RestOneDay));
        Assert.Equal((0.0, 0.625), (split.TopOneDayShare, split.RestOneDayShare));
        // Among repeat buyers the top scores higher: 0.70 against (0.9 + 0.5 + 0.3) / 3 = 0.5667. Variances 0.02 and
        // 0.186667 / 2 = 0.093333; pooled (1 × 0.02 + 2 × 0.093333) / 3 = 0.068889; d = 0.133333 / √0.068889 = 0.50800.
        var repeat = split.AmongRepeatBuyers;
        Assert.Equal((2L, 3L), (repeat.TopCount, repeat.RestCount));
        Assert.Equal(0.7, repeat.TopMean, 10);
        Assert.Equal(1.7 / 3, repeat.RestMean, 10);
        var pooled = (1 * 0.02 + 2 * (0.186666666666667 / 2)) / 3;
        Assert.Equal((0.7 - 1.7 / 3) / Math.Sqrt(pooled), repeat.CohensD!.Value, 6);
        Assert.Equal("medium", repeat.Magnitude);
    }
}
