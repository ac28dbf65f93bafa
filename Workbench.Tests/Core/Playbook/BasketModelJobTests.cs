using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Playbook;

// The basket model as a job: read from the order lines in the store, stored, and read back by the preview.
public sealed class BasketModelJobTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await _store.ImportAsync(ImportKind.Customers, "customer_id,first_name\nC1,Ann\nC2,Ben\nC3,Cy\n");
        await _store.ImportAsync(ImportKind.Products, "sku,name,category,price\nA,Apron,X,10\nB,Bowl,X,12\nC,Candle,Y,5\nD,Diffuser,Y,20\nE,Easel,Y,30\n");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private BasketModelService Baskets => _store.Services.GetRequiredService<BasketModelService>();
    private PlaybookPreviewService Previews => _store.Services.GetRequiredService<PlaybookPreviewService>();

    private static string Csv(IEnumerable<(string Order, int Line, string Customer, string Sku, int Quantity)> lines)
    {
        var csv = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n");
        foreach (var l in lines) csv.Append(CultureInfo.InvariantCulture, $"{l.Order},{l.Line},{l.Customer},2026-10-01T10:00:00,{l.Sku},{l.Quantity},5\n");
        return csv.ToString();
    }

    // The hand-counted baskets of CoOccurrenceTests, imported as order lines, plus a return (O7, a negative quantity),
    // which holds no item: O1 A B C · O2 A B · O3 A C · O4 B C · O5 A B D · O6 D D.
    // N = 6; n(A) = 4, n(B) = 4, n(C) = 3, n(D) = 2; n(AB) = 3, n(AC) = 2, n(BC) = 2, n(AD) = 1, n(BD) = 1.
    private static readonly (string, int, string, string, int)[] HandCounted =
    [
        ("O1", 1, "C1", "A", 1), ("O1", 2, "C1", "B", 2), ("O1", 3, "C1", "C", 1), ("O2", 1, "C2", "A", 1), ("O2", 2, "C2", "B", 1),
        ("O3", 1, "C3", "A", 1), ("O3", 2, "C3", "C", 1), ("O4", 1, "C1", "B", 1), ("O4", 2, "C1", "C", 1),
        ("O5", 1, "C2", "A", 1), ("O5", 2, "C2", "B", 1), ("O5", 3, "C2", "D", 1), ("O6", 1, "C3", "D", 1), ("O6", 2, "C3", "D", 3),
        ("O7", 1, "C1", "E", -1),
    ];

    [Fact]
    public async Task ImportOfOrderLines_RunsTheJob_StoredFiguresAreTheHandComputedOnes()
    {
        await _store.ImportAsync(ImportKind.Transactions, Csv(HandCounted));

        Assert.Equal("Succeeded", (await _store.RowsAsync("SELECT status FROM job_runs WHERE job = 'basket-model' ORDER BY id DESC LIMIT 1"))[0]);
        // Items: A B C D (E only returned). Pairs: AB AC BC AD BD, stored once each with the smaller sku first.
        Assert.Equal(["A|4", "B|4", "C|3", "D|2"], await _store.RowsAsync("SELECT sku, orders FROM basket_items ORDER BY sku"));
        Assert.Equal(["A|B|3", "A|C|2", "A|D|1", "B|C|2", "B|D|1"], await _store.RowsAsync("SELECT sku_a, sku_b, orders FROM basket_pairs ORDER BY 1, 2"));
        Assert.Equal(["6|14|0"], await _store.RowsAsync("SELECT orders, order_lines, skipped_baskets FROM basket_model"));

        // Through the preview's catalog (minimum support 0.0005 keeps every pair of six orders):
        // A→B support 3/6 = 0.5, confidence 3/4 = 0.75, lift 0.75 / (4/6) = 1.125;
        // C→A confidence 2/3, lift (2/3) / (4/6) = 1.0; D→A support 1/6, confidence 1/2, lift 0.5 / (4/6) = 0.75.
        var (info, catalog) = await Previews.CatalogAsync(default);
        Assert.NotNull(info);
        var ab = catalog.Model.Pair("A", "B")!;
        Assert.Equal((3, 0.5, 0.75, 1.125), (ab.Orders, ab.Support, ab.Confidence, Math.Round(ab.Lift, 12)));
        var ca = catalog.Model.Pair("C", "A")!;
        Assert.Equal(2.0 / 3, ca.Confidence, 12);
        Assert.Equal(1.0, ca.Lift, 12);
        var da = catalog.Model.Pair("D", "A")!;
        Assert.Equal((1.0 / 6, 0.5, 0.75), (da.Support, da.Confidence, Math.Round(da.Lift, 12)));
        Assert.Null(catalog.Model.Pair("C", "D"));
    }

    [Fact]
    public async Task StoredModel_EqualsTheBuilders_OnRandomBaskets()
    {
        // 400 orders of 1–6 lines over five skus, ids in random order; some returns.
        var rng = new Random(17);
        var skus = new[] { "A", "B", "C", "D", "E" };
        var lines = new List<(string, int, string, string, int)>();
        foreach (var o in Enumerable.Range(0, 400).OrderBy(_ => rng.Next()))
        {
            var n = rng.Next(1, 7);
            for (var l = 1; l <= n; l++) lines.Add(($"R{o}", l, $"C{rng.Next(1, 4)}", skus[rng.Next(skus.Length)], rng.Next(10) == 0 ? -1 : 1));
        }
        await _store.ImportAsync(ImportKind.Transactions, Csv(lines));

        var expected = CoOccurrenceBuilder.FromBaskets(lines.Where(l => l.Item5 > 0).Select(l => (l.Item1, l.Item4)), minSupport: 0);
        var (_, counts) = await Baskets.LoadAsync(default);
        var stored = counts.Model(0);
        Assert.Equal(expected.Orders, stored.Orders);
        Assert.Equal(expected.PairCount, stored.PairCount);
        foreach (var a in skus)
        {
            Assert.Equal(expected.OrdersWith(a), stored.OrdersWith(a));
            foreach (var b in skus.Where(b => b != a))
            {
                Assert.Equal(expected.OrdersWithBoth(a, b), stored.OrdersWithBoth(a, b));
                Assert.Equal(expected.Pair(a, b), stored.Pair(a, b));
            }
        }
    }

    [Fact]
    public async Task ImportOfAnotherTable_LeavesTheModel_AndARebuildOnDemandIsRecorded()
    {
        await _store.ImportAsync(ImportKind.Transactions, Csv(HandCounted));
        var before = await _store.RowsAsync("SELECT generation, built_at FROM basket_model");
        var generation = long.Parse(before[0].Split('|')[0], CultureInfo.InvariantCulture);

        await _store.ImportAsync(ImportKind.Customers, "customer_id,first_name\nC4,Di\n");
        Assert.Equal(["0|unchanged: an import of customers changes no basket"],
            await _store.RowsAsync("SELECT rows, progress FROM job_runs WHERE job = 'basket-model' ORDER BY id DESC LIMIT 1"));
        Assert.Equal(before, await _store.RowsAsync("SELECT generation, built_at FROM basket_model"));

        var result = await _store.Services.GetRequiredService<JobPipeline>().RunNowAsync([BasketModelJob.JobName], "tester", default);
        Assert.True(result.Succeeded, result.Problem);
        // Items 4 + pairs 5 written; the run's last progress line is the job's own.
        Assert.Equal(["9|Demand|tester"], await _store.RowsAsync("SELECT rows, \"trigger\", requested_by FROM job_runs WHERE job = 'basket-model' ORDER BY id DESC LIMIT 1"));
        Assert.StartsWith("basket model written: 4 items, 5 pairs from 6 orders",
            (await _store.RowsAsync("SELECT progress FROM job_runs WHERE job = 'basket-model' ORDER BY id DESC LIMIT 1"))[0]);
        Assert.Equal([(generation + 1).ToString(CultureInfo.InvariantCulture)], await _store.RowsAsync("SELECT generation FROM basket_model"));
    }

    [Fact]
    public async Task Cancelled_AfterCounting_RollsTheWriteBack()
    {
        await _store.ImportAsync(ImportKind.Transactions, Csv(HandCounted));
        var before = await _store.RowsAsync("SELECT * FROM basket_pairs ORDER BY 1, 2");
        // A basket C D written around the import, so no job runs for it.
        await _store.RowsAsync("""
            INSERT INTO order_lines (order_id, line_no, customer_id, ordered_at, sku, quantity, unit_price, discount, import_id, created_import_id, revision, seen_import_id)
            VALUES ('O8', 1, 'C1', '2026-10-02 10:00:00', 'C', 1, 5, 0, 0, 0, 0, 0), ('O8', 2, 'C1', '2026-10-02 10:00:00', 'D', 1, 5, 0, 0, 0, 0, 0)
            """);

        // Cancelled once the baskets are counted, while the tables are being replaced: nothing of the new model is kept.
        using var cts = new CancellationTokenSource();
        var progress = new Inline(m => { if (m.Contains(" baskets, ", StringComparison.Ordinal)) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Baskets.RebuildAsync(progress, cts.Token));
        Assert.Equal(before, await _store.RowsAsync("SELECT * FROM basket_pairs ORDER BY 1, 2"));

        // Not cancelled, the same rebuild counts the new basket.
        await Baskets.RebuildAsync(null, default);
        Assert.Contains("C|D|1", await _store.RowsAsync("SELECT * FROM basket_pairs ORDER BY 1, 2"));
    }

    [Fact]
    public async Task Preview_ReadsTheStoredModel_NotTheLines_AndSaysWhenItWasBuilt()
    {
        await _store.ImportAsync(ImportKind.Transactions, Csv(HandCounted.Append(("O10", 1, "C3", "A", 1))));
        var play = PlaybookFixture.Play() with { Recommendations = new RecommendationSlot(RecommendationRule.BoughtTogether, 3) };
        var file = new PlaybookFile(PlaybookFile.CurrentFormat, [], [play]);

        // The lines but O10 are gone from the store, the stored model is not: C3's last (and now only) order holds A, and
        // A's partners come from the stored counts, by confidence: B 3/5, C 2/5, D 1/5.
        await _store.RowsAsync("DELETE FROM order_lines WHERE order_id <> 'O10'");
        var outcome = await Previews.PreviewAsync(file, play.Id, "C3", null, null, default);
        Assert.Equal(["B", "C", "D"], outcome.Result!.Recommendations.Select(r => r.Sku));
        Assert.Equal(0.6, outcome.Result.Recommendations[0].Confidence!.Value, 12);
        Assert.Equal(7, outcome.Basket!.Orders);
        Assert.Equal((await _store.RowsAsync("SELECT built_at FROM basket_model"))[0], Workbench.Core.Data.StoreTime.Format(outcome.Basket.BuiltAt));

        // A rebuild (a new generation) is picked up by the next preview: now only O10 is left, and A has no partner.
        await Baskets.RebuildAsync(null, default);
        var next = await Previews.PreviewAsync(file, play.Id, "C3", null, null, default);
        Assert.Empty(next.Result!.Recommendations);
        Assert.Equal(1, next.Basket!.Orders);
    }

    private sealed class Inline(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
