using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;
using Workbench.Core.Analytics.Clv;
using Workbench.Core.Analytics.ValueDrivers;

namespace Workbench.Core.Analytics.CustomerFeatures;

public sealed record FeatureRebuildResult(
    long Customers, long Buyers, DateOnly AsOf, BgNbdFit? Purchases, GammaGammaFit? Spend, TimeSpan Duration);

// Rebuilds the feature tables from the store (the daily job run, a large import, on demand) in one transaction, so readers see the
// old features or the new, never a mix. One streaming pass (FeaturePass) writes every customer's own features, category
// and event activity; then the population-wide parts follow: RFM cut points and the CLV fit, written back by row id,
// and the value-driver tables. The secondary indexes are dropped for the load and built once at the end.
public sealed partial class FeatureService(StoreLocation store, TimeProvider clock, ILogger<FeatureService> logger)
{
    public Task<FeatureRebuildResult> RebuildAsync(IProgress<string>? progress, CancellationToken ct) => RebuildAsync(null, progress, ct);

    // held: score against these population figures instead of refitting them (an import that touched everyone between
    // two daily runs; the property test's reference). Without, the figures are fitted and stored for the incremental path.
    // The caller holds the store's write gate: the customer-features job runs inside the pipeline's.
    public async Task<FeatureRebuildResult> RebuildAsync(PopulationFigures? held, IProgress<string>? progress, CancellationToken ct)
    {
        var result = await Task.Run(() => RebuildLockedAsync(held, progress, ct), ct);
        logger.LogInformation("Features rebuilt for {Customers} customers in {Seconds:0.0} s ({Figures})", result.Customers,
            result.Duration.TotalSeconds, held is null ? "population figures refitted" : "population figures held");
        return result;
    }

    // As the migrations name them.
    private static readonly (string Name, string Definition)[] Indexes =
    [
        ("IX_customer_category_activity_category_last_bought_at", "customer_category_activity (category, last_bought_at)"),
        ("IX_customer_event_activity_type_last_at", "customer_event_activity (type, last_at)"),
        ("IX_customer_features_rfm_cell", "customer_features (rfm_cell)"),
    ];

    private async Task<FeatureRebuildResult> RebuildLockedAsync(PopulationFigures? held, IProgress<string>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);

        // The readers step through two large b-trees each: enough cache to keep their interior pages. Derived data: the
        // commit need not wait for the disk; the index builds sort on a second core.
        using var lineReader = store.Bulk.OpenReader(cacheMegabytes: 32);
        using var eventReader = store.Bulk.OpenReader(cacheMegabytes: 32);
        using var write = store.Bulk.BeginSession(new BulkSessionOptions { DerivedData = true, CacheMegabytes = 64, SortThreads = 2 });
        var products = LoadProducts(lineReader);
        var expected = (int)lineReader.Scalar("SELECT COUNT(*) FROM customers");
        write.Execute(string.Join(" ", Indexes.Select(i => $"DROP INDEX IF EXISTS \"{i.Name}\";")) + """
            DELETE FROM customer_features; DELETE FROM customer_category_activity; DELETE FROM customer_event_activity;
            """);

        var pass = new FeaturePass(products, today, now, progress);
        RunPass(pass, lineReader, eventReader, write, expected, ct);
        progress?.Report($"{pass.Customers:N0} customers written in {watch.Elapsed.TotalSeconds:0.0} s");

        // The two activity indexes are built while the CLV model is fitted: the one needs the store, the other the cores.
        var activityIndexes = Task.Run(() =>
        {
            write.CreateIndexes(Indexes[..2].Select(Create));
            progress?.Report($"category and event indexes built by {watch.Elapsed.TotalSeconds:0.0} s");
        }, CancellationToken.None);
        BgNbdFit? purchases;
        GammaGammaFit? spend;
        PopulationScores scores;
        try
        {
            (purchases, spend) = held is null ? FitClv(pass.Members, ct) : Held(held);
            progress?.Report($"CLV model {(held is null ? "fitted" : "held")} by {watch.Elapsed.TotalSeconds:0.0} s");
            scores = ScorePopulation(pass, products, purchases, spend, today, held);
        }
        finally
        {
            await activityIndexes;
        }
        progress?.Report(purchases is null
            ? "no repeat history to fit the CLV model"
            : $"CLV fitted by {watch.Elapsed.TotalSeconds:0.0} s: r={purchases.Parameters.R:0.###} alpha={purchases.Parameters.Alpha:0.###} a={purchases.Parameters.A:0.###} b={purchases.Parameters.B:0.###}");

        ct.ThrowIfCancellationRequested();
        WritePopulationColumns(write, pass.Members, scores);
        write.CreateIndexes([Create(Indexes[2])]);
        WriteValueDrivers(write, scores.Gateways, pass.Steps);
        if (held is null)
            WriteFigures(write, new PopulationFigures(now, pass.Members.Count(m => m.Orders > 0), scores.Cuts.Recency, scores.Cuts.Frequency,
                scores.Cuts.Monetary, purchases?.Parameters, spend?.Parameters));
        progress?.Report($"scores, CLV values and value drivers written by {watch.Elapsed.TotalSeconds:0.0} s");
        write.Commit();
        progress?.Report($"features written for {pass.Customers:N0} customers by {watch.Elapsed.TotalSeconds:0.0} s");
        return new FeatureRebuildResult(pass.Customers, pass.Members.Count, today, purchases, spend, watch.Elapsed);

        static string Create((string Name, string Definition) index) => $"CREATE INDEX \"{index.Name}\" ON {index.Definition};";
    }

    private static void RunPass(FeaturePass pass, IStoreReader lines, IStoreReader events, IBulkSession write, int expected, CancellationToken ct)
    {
        try
        {
            pass.Run(lines, events, write, expected, ct);
        }
        catch (AggregateException e)
        {
            ct.ThrowIfCancellationRequested();
            // The stage that failed first; the others were only cancelled because of it.
            var cause = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
        }
    }

    private static ProductIndex LoadProducts(IStoreReader reader)
    {
        List<string> categories = [], skus = [];
        List<int> productCategory = [];
        var skuIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var categoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        using var rows = reader.Query("SELECT sku, category FROM products ORDER BY sku");
        while (rows.Next())
        {
            var category = rows.Text(1)!;
            if (!categoryIndex.TryGetValue(category, out var c))
            {
                c = categories.Count;
                categories.Add(category);
                categoryIndex[category] = c;
            }
            var sku = rows.Text(0)!;
            skuIndex[sku] = skus.Count;
            skus.Add(sku);
            productCategory.Add(c);
        }
        return new ProductIndex(categories, skus, productCategory, skuIndex);
    }

    // BG/NBD on every buyer's repeat history (identical summaries passed once with a weight), Gamma-Gamma on the
    // repeaters.
    private static (BgNbdFit?, GammaGammaFit?) FitClv(List<FeatureMember> members, CancellationToken ct)
    {
        var counts = new Dictionary<(int X, double Tx, double T), int>();
        foreach (var m in members)
        {
            if (m.RepeatX < 0) continue;
            var key = (m.RepeatX, m.RepeatTx, m.RepeatT);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var grouped = counts.Select(c => new RepeatHistory(c.Key.X, c.Key.Tx, c.Key.T, c.Value)).ToList();
        if (grouped.Count == 0 || grouped.All(h => h.X == 0)) return (null, null);
        var purchases = BgNbd.Fit(grouped, ct);
        var spendHistories = members.Where(m => m.SpendX >= 1 && m.SpendMean > 0).Select(m => new SpendHistory(m.SpendX, m.SpendMean)).ToList();
        var spend = spendHistories.Count >= 10 ? GammaGamma.Fit(spendHistories, ct) : null;
        return (purchases, spend);
    }

    // Per member: the R, F and M scores (buyers only) and, with a repeat history, P(alive), expected purchases in the next
    // 52 weeks and the 12-month value (NaN for none); and the gateways, which sum the value.
    private sealed record PopulationScores(byte[] R, byte[] F, byte[] M, double[] Alive, double[] Expected, double[] Value,
        Dictionary<int, GatewayEntry> Gateways, (double[] Recency, double[] Frequency, double[] Monetary) Cuts);

    private static (BgNbdFit?, GammaGammaFit?) Held(PopulationFigures held) => (
        held.Purchases is { } p ? new BgNbdFit(p, double.NaN, 0, true) : null,
        held.Spend is { } g ? new GammaGammaFit(g, double.NaN, 0, true) : null);

    // One row, replaced: the figures the incremental path scores touched customers against until the next refit.
    private static void WriteFigures(IBulkSession write, PopulationFigures figures)
    {
        using var insert = write.Prepare("INSERT OR REPLACE INTO population_figures (id, computed_at, figures_json) VALUES (1, ?1, ?2)");
        insert.Text(1, StoreTime.Format(figures.ComputedAt));
        insert.Text(2, figures.ToJson());
        insert.Run();
    }

    // R, F and M scores over the buyers (customers with at least one order); the CLV values per customer with a repeat
    // history. Computed on every core while the store builds its indexes; written afterwards by WritePopulationColumns.
    private static PopulationScores ScorePopulation(FeaturePass pass, ProductIndex products, BgNbdFit? purchases, GammaGammaFit? spend, DateOnly today,
        PopulationFigures? held)
    {
        var members = pass.Members;
        List<double> recency = [], frequency = [], monetary = [];
        foreach (var m in members)
        {
            if (m.Orders <= 0) continue;
            recency.Add(m.RecencyDays);
            frequency.Add(m.Orders);
            monetary.Add(m.NetRevenue);
        }
        var recencyCuts = held?.RecencyCuts ?? RfmScoring.CutPoints(recency);
        var frequencyCuts = held?.FrequencyCuts ?? RfmScoring.CutPoints(frequency);
        var monetaryCuts = held?.MonetaryCuts ?? RfmScoring.CutPoints(monetary);

        var n = members.Count;
        var scores = new PopulationScores(new byte[n], new byte[n], new byte[n], new double[n], new double[n], new double[n], [],
            (recencyCuts, frequencyCuts, monetaryCuts));
        Parallel.For(0, Math.Max(1, Environment.ProcessorCount), chunk =>
        {
            var size = (n + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
            for (var i = chunk * size; i < Math.Min(n, (chunk + 1) * size); i++)
            {
                var m = members[i];
                if (m.Orders > 0)
                {
                    scores.R[i] = (byte)RfmScoring.Score(m.RecencyDays, recencyCuts, higherIsBetter: false);
                    scores.F[i] = (byte)RfmScoring.Score(m.Orders, frequencyCuts);
                    scores.M[i] = (byte)RfmScoring.Score(m.NetRevenue, monetaryCuts);
                }
                scores.Alive[i] = scores.Expected[i] = scores.Value[i] = double.NaN;
                if (purchases is null || m.RepeatX < 0) continue;
                var repeat = new RepeatHistory(m.RepeatX, m.RepeatTx, m.RepeatT);
                scores.Alive[i] = BgNbd.ProbabilityAlive(purchases.Parameters, repeat);
                scores.Expected[i] = BgNbd.ConditionalExpectedPurchases(purchases.Parameters, repeat, 52);
                if (spend is not null)
                    scores.Value[i] = scores.Expected[i] * GammaGamma.ConditionalExpectedValue(spend.Parameters, m.SpendX, m.SpendMean);
            }
        });

        for (var i = 0; i < n; i++) CountGateways(members[i], scores.Value[i]);
        return scores;

        void CountGateways(FeatureMember m, double value)
        {
            if (m.FirstDay < 0) return;
            var eligible = today.DayNumber - m.FirstDay >= 90;
            var repeat = eligible && m.SecondDay >= 0 && m.SecondDay - m.FirstDay <= 90;
            for (var i = m.GatewayStart; i < m.GatewayStart + m.GatewayCount; i++)
            {
                var key = pass.GatewayKeys[i];
                if (!scores.Gateways.TryGetValue(key, out var g))
                {
                    var isCategory = key < products.CategoryNames.Count;
                    scores.Gateways[key] = g = new GatewayEntry
                    {
                        Kind = isCategory ? "category" : "product",
                        Key = isCategory ? products.CategoryNames[key] : products.Skus[key - products.CategoryNames.Count],
                    };
                }
                g.FirstBuyers++;
                if (eligible) g.Eligible90d++;
                if (repeat) g.Repeat90d++;
                g.NetRevenue += m.NetRevenue;
                if (double.IsFinite(value))
                {
                    g.PredictedValue12m += value;
                    g.PredictedCount++;
                }
            }
        }
    }

    // The scores by row id; members with neither orders nor a repeat history keep their NULLs.
    private static void WritePopulationColumns(IBulkSession write, List<FeatureMember> members, PopulationScores scores)
    {
        using var update = write.Prepare("""
            UPDATE customer_features SET r_score = ?1, f_score = ?2, m_score = ?3, rfm_cell = ?4,
                probability_alive = ?5, expected_purchases_52w = ?6, predicted_value_12m = ?7
            WHERE rowid = ?8
            """);
        Span<byte> cell = stackalloc byte[3];
        for (var i = 0; i < members.Count; i++)
        {
            var buyer = scores.R[i] > 0;
            if (!buyer && double.IsNaN(scores.Alive[i])) continue;
            if (buyer)
            {
                update.Integer(1, scores.R[i]);
                update.Integer(2, scores.F[i]);
                update.Integer(3, scores.M[i]);
                cell[0] = (byte)('0' + scores.R[i]);
                cell[1] = (byte)('0' + scores.F[i]);
                cell[2] = (byte)('0' + scores.M[i]);
                update.Text(4, cell);
            }
            else
            {
                for (var c = 1; c <= 4; c++) update.Null(c);
            }
            update.Real(5, scores.Alive[i]);
            update.Real(6, scores.Expected[i]);
            update.Real(7, scores.Value[i]);
            update.Integer(8, members[i].RowId);
            update.Run();
        }
    }

    // Gateways (what the first purchase day held, and who came back within 90 days) and category steps, summed over
    // every buyer; customers whose first purchase is younger than 90 days count as first buyers but not as eligible.
    private static void WriteValueDrivers(IBulkSession session, Dictionary<int, GatewayEntry> gateways, CategorySteps transitions)
    {
        session.Execute("DELETE FROM gateway_entries; DELETE FROM category_transitions;");
        using (var gateway = session.InsertRows("gateway_entries",
                   ["kind", "key", "first_buyers", "eligible_90d", "repeat_90d", "net_revenue", "predicted_value_12m", "predicted_count"]))
        {
            foreach (var g in gateways.Values)
            {
                gateway.Text(0, g.Kind);
                gateway.Text(1, g.Key);
                gateway.Integer(2, g.FirstBuyers);
                gateway.Integer(3, g.Eligible90d);
                gateway.Integer(4, g.Repeat90d);
                gateway.Real(5, g.NetRevenue);
                gateway.Real(6, g.PredictedValue12m);
                gateway.Integer(7, g.PredictedCount);
                gateway.EndRow();
            }
            gateway.Flush();
        }
        using var transition = session.InsertRows("category_transitions", ["from_category", "to_category", "steps", "customers"]);
        foreach (var (step, (steps, customers)) in transitions)
        {
            transition.Text(0, step.From);
            transition.Text(1, step.To);
            transition.Integer(2, steps);
            transition.Integer(3, customers);
            transition.EndRow();
        }
        transition.Flush();
    }
}
