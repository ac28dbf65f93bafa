using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Analytics.CustomerFeatures;

// The rebuild's streaming pass at more than one statement's worth of customers: features are written many rows to a
// statement and the RFM and CLV columns are set afterwards by row id, so every customer must get back their own
// scores; and customers and events are merged in customer order, with events of unknown ids passed over.
public sealed class FeatureRebuildPassTests : IAsyncLifetime
{
    private const int Customers = 500;
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(new FixedClock(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero)));
        var customers = new StringBuilder("customer_id,first_name,signup_date\n");
        var lines = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel\n");
        var events = new StringBuilder("event_id,customer_id,occurred_at,type\n");
        for (var i = 0; i < Customers; i++)
        {
            var id = Id(i);
            customers.Append(CultureInfo.InvariantCulture, $"{id},N{i},2026-01-01\n");
            // Every tenth customer never bought; the others 1–5 orders on distinct days, each of a different value.
            if (i % 10 != 0)
            {
                for (var o = 0; o < Orders(i); o++)
                {
                    var day = new DateTime(2026, 1, 5).AddDays(o * 20 + i % 17);
                    lines.Append(CultureInfo.InvariantCulture, $"{id}-{o},1,{id},{day:yyyy-MM-dd}T10:00:00,P{o % 2},1,{10 + i % 13 + o},0,web\n");
                }
            }
            // Every third customer opened an email in the last 90 days, one in six also long before.
            if (i % 3 == 0) events.Append(CultureInfo.InvariantCulture, $"{id}-e1,{id},2026-06-01T09:00:00,email_open\n");
            if (i % 6 == 0) events.Append(CultureInfo.InvariantCulture, $"{id}-e2,{id},2025-06-01T09:00:00,email_open\n");
        }
        await _store.ImportAsync(ImportKind.Customers, customers.ToString());
        await _store.ImportAsync(ImportKind.Products, "sku,name,category,price\nP0,Tea,Grocery,10\nP1,Lamp,Home,50\n");
        await _store.ImportAsync(ImportKind.Transactions, lines.ToString());
        await _store.ImportAsync(ImportKind.Events, events.ToString());
        // Events of ids that are no customer: before the first, between two, after the last.
        foreach (var (key, id) in new[] { ("x1", "A0"), ("x2", Id(250) + "5"), ("x3", "Z9") })
        {
            await _store.RowsAsync($"""
                INSERT INTO events (event_key, customer_id, occurred_at, type, import_id, created_import_id, revision, seen_import_id)
                VALUES ('{key}', '{id}', '2026-06-10 09:00:00', 'email_open', 1, 1, 1, 1)
                """);
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static string Id(int i) => $"C{i:D4}";

    private static int Orders(int i) => i % 5 + 1;

    [Fact]
    public async Task Rebuild_ManyCustomers_EachGetsTheirOwnFeaturesAndScores()
    {
        var result = await _store.Services.GetRequiredService<FeatureService>().RebuildAsync(null, default);

        Assert.Equal(Customers, result.Customers);
        Assert.Equal(Customers - Customers / 10, result.Buyers);
        var rows = (await _store.RowsAsync("""
                SELECT customer_id, orders, recency_days, net_revenue, r_score, f_score, m_score, rfm_cell, probability_alive IS NOT NULL
                FROM customer_features ORDER BY customer_id
                """))
            .Select(r => r.Split('|')).ToList();
        Assert.Equal(Enumerable.Range(0, Customers).Select(Id), rows.Select(r => r[0]));
        Assert.Equal(Enumerable.Range(0, Customers).Select(i => i % 10 == 0 ? 0 : Orders(i)), rows.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)));

        // The scores each row carries are the ones its own recency, orders and revenue earn against the buyers' cut
        // points (RfmScoring, tested on its own); a row id off by one would hand a neighbour's scores over.
        var buyers = rows.Where(r => r[1] != "0").ToList();
        var recency = RfmScoring.CutPoints(buyers.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToList());
        var frequency = RfmScoring.CutPoints(buyers.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToList());
        var monetary = RfmScoring.CutPoints(buyers.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToList());
        foreach (var r in buyers)
        {
            var expected = RfmScoring.Cell(RfmScoring.Score(double.Parse(r[2], CultureInfo.InvariantCulture), recency, higherIsBetter: false),
                RfmScoring.Score(double.Parse(r[1], CultureInfo.InvariantCulture), frequency),
                RfmScoring.Score(double.Parse(r[3], CultureInfo.InvariantCulture), monetary));
            Assert.True(expected == r[7] && $"{r[4]}{r[5]}{r[6]}" == r[7], $"{r[0]}: {r[7]}, expected {expected}");
            Assert.Equal("1", r[8]);
        }
        Assert.All(rows.Where(r => r[1] == "0"), r => Assert.Equal(["∅", "∅", "0"], new[] { r[4], r[7], r[8] }));
        // Scores vary from one customer to the next: 450 buyers with 1 order (50 of them) or 2–5 (100 each) → F cut points
        // 2, 3, 4, 5 → four distinct F scores.
        Assert.Equal(["1", "2", "3", "4"], buyers.Select(r => r[5]).Distinct().Order());
    }

    [Fact]
    public async Task Rebuild_EventsMergedByCustomer_UnknownIdsPassedOver()
    {
        await _store.Services.GetRequiredService<FeatureService>().RebuildAsync(null, default);

        var expected = Enumerable.Range(0, Customers).Where(i => i % 3 == 0)
            .Select(i => $"{Id(i)}|email_open|{(i % 6 == 0 ? 2 : 1)}|1|2026-06-01 09:00:00");
        Assert.Equal(expected, await _store.RowsAsync("SELECT customer_id, type, total, last_90d, last_at FROM customer_event_activity ORDER BY customer_id"));
        Assert.Equal(Enumerable.Range(0, Customers).Select(i => i % 3 == 0 ? "1" : "0"),
            await _store.RowsAsync("SELECT email_opens_90d FROM customer_features ORDER BY customer_id"));
    }

    [Fact]
    public async Task Rebuild_ManyEventsOfIdsAfterTheLastCustomer_Completes()
    {
        // 20,000 ids past the last customer (ten batches of the event reader, more than its queue holds).
        await _store.RowsAsync("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
            INSERT INTO events (event_key, customer_id, occurred_at, type, import_id, created_import_id, revision, seen_import_id)
            SELECT 'z' || i, 'Z' || printf('%06d', i), '2026-06-10 09:00:00', 'page_view', 1, 1, 1, 1 FROM n
            """);

        var result = await _store.Services.GetRequiredService<FeatureService>().RebuildAsync(null, default).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Customers, result.Customers);
        Assert.Equal(["0"], await _store.RowsAsync("SELECT COUNT(*) FROM customer_event_activity WHERE customer_id LIKE 'Z%'"));
    }
}
