using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Audit;
using Workbench.Core.Data;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Facts;
using Workbench.Core.Segments.Rules;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Segments;

// The in-memory segment facts must give exactly what SQL gives (RuleSqlCompiler is itself checked against the reference
// evaluator), and must never answer for a store that changed after they were read.
public sealed class SegmentFactsTests
{
    [Fact]
    public async Task Evaluate_RandomRulesOnRandomCustomers_MembersEqualSqlAndTheReference()
    {
        await using var store = await TestStore.CreateAsync();
        var customers = SegmentFixture.Random(400, seed: 17);
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, customers);
        var facts = SegmentFactsLoader.Load(store.Location.Bulk, default);
        Assert.Equal(400, facts.Count);
        Assert.Empty(facts.Irregular);
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();

        var generator = new RandomRules(seed: 23);
        var split = 0;
        for (var i = 0; i < 300; i++)
        {
            var rule = generator.Group(depth: 0);
            var reference = customers.Where(c => RuleEvaluator.Matches(rule, c, SegmentFixture.AsOf)).Select(c => c.CustomerId).ToList();
            var sql = await RuleQuery.IdsAsync(connection, RuleSqlCompiler.Compile(rule, SegmentFixture.AsOf), default);
            var members = FactsEvaluator.Evaluate(rule, facts, SegmentFixture.AsOf);
            var ids = members.Rows().Select(facts.IdAt).ToList();
            Assert.True(sql.SequenceEqual(ids), $"rule {i}: {RuleJson.Serialize(rule)}\nSQL {sql.Count}, facts {ids.Count}");
            Assert.Equal(reference, ids);
            Assert.Equal(ids.Count, members.Size());
            if (ids.Count > 0 && ids.Count < 400) split++;
        }
        Assert.True(split > 150, $"only {split} rules split the customers");
    }

    [Fact]
    public async Task Kpis_FromTheFacts_EqualTheKpisSqlComputes()
    {
        await using var store = await TestStore.CreateAsync(new FixedClock(SegmentFixture.AsOf));
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, SegmentFixture.Random(300, seed: 5));
        var withFacts = store.Services.GetRequiredService<SegmentService>();
        var sqlOnly = SqlOnly(store);
        await store.Services.GetRequiredService<SegmentFactsCache>().WarmAsync(default);

        var generator = new RandomRules(seed: 31);
        for (var i = 0; i < 60; i++)
        {
            var rule = generator.Group(depth: 0);
            var sql = await sqlOnly.KpisAsync(rule);
            var facts = await withFacts.KpisAsync(rule);
            Assert.Equal(sql.Size, facts.Size);
            Assert.Equal(sql.TotalCustomers, facts.TotalCustomers);
            Assert.Equal(sql.FeaturesComputed, facts.FeaturesComputed);
            Assert.Equal(sql.Revenue, facts.Revenue, 9);
            Assert.Equal(sql.RevenueShare, facts.RevenueShare, 12);
            Assert.Equal(sql.Reach.Select(r => (r.Channel, r.Members)), facts.Reach.Select(r => (r.Channel, r.Members)));
            Assert.Equal(sql.Size, await withFacts.CountAsync(rule));
        }
        Assert.NotNull(store.Services.GetRequiredService<SegmentFactsCache>().Current());
    }

    [Fact]
    public async Task Count_AfterACommit_IsAnsweredFromTheStoreUntilFreshFactsAreRead()
    {
        await using var store = await TestStore.CreateAsync(new FixedClock(SegmentFixture.AsOf));
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, SegmentFixture.Random(200, seed: 3));
        var segments = store.Services.GetRequiredService<SegmentService>();
        var cache = store.Services.GetRequiredService<SegmentFactsCache>();
        var london = new RuleGroup { Conditions = [new RuleCondition { Field = "region", Operator = Operators.Eq, Value = RuleValues.Of("London") }] };
        await cache.WarmAsync(default);
        var before = await segments.CountAsync(london);
        Assert.NotNull(cache.Current());

        await SegmentFixture.WriteAsync(store.Location.ConnectionString,
            [SegmentFixture.Customer("Z0001", new() { ["region"] = "London" }), SegmentFixture.Customer("Z0002", new() { ["region"] = "London" })]);

        Assert.Null(cache.Current());
        Assert.Equal(before + 2, await segments.CountAsync(london));
        var fresh = await cache.WarmAsync(default);
        Assert.Equal(202, fresh.Count);
        Assert.Equal(before + 2, await segments.CountAsync(london));
        Assert.Same(fresh, cache.Current());
    }

    [Fact]
    public async Task Load_ATimeNotInTheStoresFormat_LeavesRulesOnThatFieldToSql()
    {
        await using var store = await TestStore.CreateAsync(new FixedClock(SegmentFixture.AsOf));
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, SegmentFixture.Random(100, seed: 9));
        // An older row with a 'T' and an offset: SQL compares it as text, which the facts cannot mirror with times.
        await store.RowsAsync("UPDATE customer_features SET last_purchase_at = '2026-11-01T10:00:00+02:00' WHERE customer_id = (SELECT MIN(customer_id) FROM customer_features)");
        var facts = SegmentFactsLoader.Load(store.Location.Bulk, default);
        var recent = new RuleGroup { Conditions = [new RuleCondition { Field = "last_purchase_at", Operator = Operators.WithinDays, Days = 30 }] };
        var region = new RuleGroup { Conditions = [new RuleCondition { Field = "region", Operator = Operators.Eq, Value = RuleValues.Of("Wales") }] };

        Assert.Contains("last_purchase_at", facts.Irregular);
        Assert.False(FactsEvaluator.CanEvaluate(recent, facts));
        Assert.True(FactsEvaluator.CanEvaluate(region, facts));
        await store.Services.GetRequiredService<SegmentFactsCache>().WarmAsync(default);
        Assert.Equal(await SqlOnly(store).CountAsync(recent), await store.Services.GetRequiredService<SegmentService>().CountAsync(recent));
    }

    [Fact]
    public async Task Load_FeatureRowsOfNoCustomer_CountInTheRevenueTotalOnly()
    {
        await using var store = await TestStore.CreateAsync();
        await SegmentFixture.WriteAsync(store.Location.ConnectionString,
        [
            SegmentFixture.Customer("B1", new() { ["net_revenue"] = 10.5, ["orders"] = 1.0 }),
            SegmentFixture.Customer("B3", new() { ["net_revenue"] = 4.25, ["orders"] = 2.0 }),
        ]);
        await store.RowsAsync("INSERT INTO customer_features (customer_id, orders, net_revenue, category_count, email_opens_90d, email_clicks_90d, computed_at) " +
            "VALUES ('B2', 1, 100, 0, 0, 0, '2026-11-22 12:00:00'), ('A0', 1, 1000, 0, 0, 0, '2026-11-22 12:00:00')");
        var facts = SegmentFactsLoader.Load(store.Location.Bulk, default);
        var everyone = new RuleGroup();
        var kpis = FactsEvaluator.Kpis(FactsEvaluator.Evaluate(everyone, facts, SegmentFixture.AsOf), facts);

        Assert.Equal(["B1", "B3"], Enumerable.Range(0, facts.Count).Select(facts.IdAt));
        Assert.Equal(2, kpis.Size);
        Assert.Equal(14.75, kpis.Revenue);
        Assert.Equal(1114.75, kpis.AllRevenue);
    }

    [Fact]
    public async Task WatchChanges_VersionMovesWithACommitByAnotherConnectionOnly()
    {
        await using var store = await TestStore.CreateAsync();
        using var watch = store.Location.Bulk.WatchChanges();
        var first = watch.Version();
        Assert.Equal(first, watch.Version());
        await store.RowsAsync("SELECT COUNT(*) FROM customers");
        Assert.Equal(first, watch.Version());
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, [SegmentFixture.Customer("W1")]);
        Assert.NotEqual(first, watch.Version());
    }

    private static SegmentService SqlOnly(TestStore store) => new(
        store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(), store.Location, store.Services.GetRequiredService<TimeProvider>(),
        store.Services.GetRequiredService<AuditService>(), store.Services.GetRequiredService<StoreWriteGate>());
}
