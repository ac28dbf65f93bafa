using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Analytics.CustomerFeatures;

// Random imports applied through the pipeline (each recomputing only the customers it touched, against the stored
// population figures) leave the same derived tables, row for row, as a full rebuild with the same figures on the same day.
public sealed class IncrementalFeaturesPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["", "Europe/London", "America/New_York", "Asia/Tokyo"];
    private static readonly string[] Channels = ["store", "web", "app", ""];
    private static readonly string[] EventTypes = ["email_open", "email_click", "page_view", "cart_abandon"];

    // What each derived table holds, in key order: every column.
    private static readonly string[] Tables =
    [
        "SELECT * FROM customer_features ORDER BY customer_id",
        "SELECT * FROM customer_category_activity ORDER BY customer_id, category",
        "SELECT * FROM customer_event_activity ORDER BY customer_id, type",
        "SELECT * FROM customer_stats ORDER BY customer_id",
        "SELECT segment_id, customer_id FROM segment_members ORDER BY 1, 2",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomImports_AppliedIncrementally_EqualAFullRebuildWithTheSameFigures(int seed)
    {
        var random = new Random(seed);
        await using var store = await TestStore.CreateAsync(new FixedClock(Now));
        var pipeline = store.Services.GetRequiredService<JobPipeline>();
        var segments = store.Services.GetRequiredService<SegmentService>();
        var customers = Enumerable.Range(1, 40).Select(i => $"K{i:000}").ToList();
        var orders = 0;
        var events = 0;

        await store.ImportAsync(ImportKind.Customers, CustomersCsv(random, customers));
        await store.ImportAsync(ImportKind.Products, "sku,name,category,price\n" +
            string.Concat(Enumerable.Range(1, 9).Select(i => $"P{i},Item {i},{"ABC"[i % 3]}{(i > 6 ? "x" : "")},{i * 3}\n")));
        await store.ImportAsync(ImportKind.Transactions, TransactionsCsv(random, customers, 200, ref orders));
        await store.ImportAsync(ImportKind.Events, EventsCsv(random, customers, 150, ref events));
        foreach (var rule in new[]
                 {
                     """{"conditions":[{"field":"m_score","operator":"gte","value":4}]}""",
                     """{"conditions":[{"field":"recency_days","operator":"lte","value":60},{"field":"probability_alive","operator":"gt","value":0.5}]}""",
                     """{"conditions":[{"field":"event","operator":"within","type":"email_open","days":30}]}""",
                 })
        {
            await segments.SaveAsync(new SegmentDraft(null, $"rule {rule.Length}", "", rule, 0), "ann");
        }
        // The figures every later import is scored against.
        Assert.True((await (await pipeline.EnqueueAsync(JobRequest.Rebuild(JobTrigger.Demand, "test"), default)).Done).Succeeded);

        for (var step = 0; step < 5; step++)
        {
            var result = random.Next(3) switch
            {
                0 => await store.ImportAsync(ImportKind.Transactions, TransactionsCsv(random, customers, random.Next(1, 15), ref orders, revise: true)),
                1 => await store.ImportAsync(ImportKind.Events, EventsCsv(random, customers, random.Next(1, 10), ref events)),
                _ => await store.ImportAsync(ImportKind.Customers, CustomersCsv(random, [.. customers.OrderBy(_ => random.Next()).Take(4), $"N{seed}{step}"])),
            };
            Assert.True(result.Succeeded, result.Summary);
            if (result.Kind == ImportKind.Customers) customers.Add($"N{seed}{step}");
        }
        // Every import after the refit was incremental: no full rebuild ran for it.
        Assert.Equal(["0"], await store.RowsAsync("""
            SELECT COUNT(*) FROM job_runs WHERE job = 'customer-features' AND "trigger" = 'Import'
                AND id > (SELECT MAX(id) FROM job_runs WHERE "trigger" = 'Demand') AND rows > 20
            """));
        var incremental = await SnapshotAsync(store);

        var full = await pipeline.EnqueueAsync(new JobRequest(JobTrigger.Demand, "test", Everyone: true, Refit: false), default);
        Assert.True((await full.Done).Succeeded);

        var rebuilt = await SnapshotAsync(store);
        for (var t = 0; t < Tables.Length; t++) Assert.Equal(rebuilt[t], incremental[t]);
        Assert.True(rebuilt[0].Count > 40 && rebuilt[1].Count > 40 && rebuilt[4].Count > 0, "the fixture should hold features, categories and members");
    }

    private static async Task<List<List<string>>> SnapshotAsync(TestStore store)
    {
        var tables = new List<List<string>>();
        foreach (var sql in Tables) tables.Add(await store.RowsAsync(sql));
        return tables;
    }

    private static string CustomersCsv(Random random, IEnumerable<string> ids)
    {
        var csv = new StringBuilder("customer_id,time_zone,signup_date\n");
        foreach (var id in ids)
            csv.Append(CultureInfo.InvariantCulture, $"{id},{Zones[random.Next(Zones.Length)]},{(random.Next(4) == 0 ? "" : Day(random).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}\n");
        return csv.ToString();
    }

    // New orders of random customers; with revise, some lines of earlier orders change quantity or move to a new time.
    private static string TransactionsCsv(Random random, List<string> customers, int count, ref int orders, bool revise = false)
    {
        var csv = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel\n");
        for (var i = 0; i < count; i++)
        {
            var revising = revise && orders > 0 && random.Next(3) == 0;
            var order = revising ? random.Next(1, orders + 1) : ++orders;
            var customer = revising ? customers[order % customers.Count] : customers[random.Next(customers.Count)];
            if (revising && !customer.StartsWith('K')) continue;
            var lines = revising ? 1 : random.Next(1, 4);
            var at = Day(random).ToDateTime(new TimeOnly(random.Next(24), random.Next(60)));
            for (var line = 1; line <= lines; line++)
            {
                var quantity = random.Next(8) == 0 ? -1 : random.Next(1, 4);
                csv.Append(CultureInfo.InvariantCulture,
                    $"O{order},{line},{(revising ? customers[order % customers.Count] : customer)},{at:yyyy-MM-ddTHH:mm:ss},P{random.Next(1, 10)},{quantity},{random.Next(2, 60)}.{random.Next(100):00},{(random.Next(4) == 0 ? "1.5" : "0")},{Channels[random.Next(Channels.Length)]}\n");
            }
        }
        return csv.ToString();
    }

    private static string EventsCsv(Random random, List<string> customers, int count, ref int events)
    {
        var csv = new StringBuilder("event_id,customer_id,occurred_at,type\n");
        for (var i = 0; i < count; i++)
        {
            var at = Day(random).ToDateTime(new TimeOnly(random.Next(24), random.Next(60)));
            csv.Append(CultureInfo.InvariantCulture, $"E{++events},{customers[random.Next(customers.Count)]},{at:yyyy-MM-ddTHH:mm:ss},{EventTypes[random.Next(EventTypes.Length)]}\n");
        }
        return csv.ToString();
    }

    private static DateOnly Day(Random random) => DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-random.Next(0, 400));
}
