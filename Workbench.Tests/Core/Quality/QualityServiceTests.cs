using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Quality;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Quality;

public sealed class QualityServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private QualityService Quality => _store.Services.GetRequiredService<QualityService>();

    // The planted problems of QualityFixture, by rule: exactly these records and no others.
    public static TheoryData<string, string[]> Planted => new()
    {
        { "invalid-email", ["Q4"] },                 // "bo at example.com"
        { "invalid-phone", ["Q4"] },                 // "12ab"
        { "duplicate-email", ["Q2"] },               // Ann@Example.COM = Q1's ann@example.com
        { "duplicate-phone", ["Q3"] },               // 07700 900001 in GB = Q1's +447700900001
        { "future-customer-date", ["Q5"] },          // born 2999-01-01
        { "no-consent", ["Q5"] },                    // no consents row
        { "inactive-12m", ["Q6"] },                  // no lines, no events
        { "negative-product-price", ["P2"] },        // price set to −1
        { "negative-line-price", ["OZ/1"] },         // unit_price −2
        { "future-order-date", ["OZ/1"] },           // ordered 2999-01-01
        { "orphan-line-customer", ["OX/1"] },        // customer GHOST
        { "orphan-line-sku", ["OY/1"] },             // sku NOPE
        { "future-event-date", ["id:EFUTURE"] },
        { "orphan-event-customer", ["id:EGHOST"] },
        { "future-consent-date", ["Q6/email"] },
        { "orphan-consent-customer", ["GHOST/email"] },
    };

    [Theory]
    [MemberData(nameof(Planted))]
    public async Task Rule_FindsExactlyThePlantedProblem(string rule, string[] expected)
    {
        await QualityFixture.LoadAsync(_store);

        var report = await Quality.ComputeAsync(default);
        var records = await Quality.RecordsAsync(rule, 0, 100, default);

        Assert.Equal(expected, records!.Rows.Select(r => r[0]));
        Assert.Equal(expected.Length, Assert.Single(report.Checks, c => c.Key == rule).Offenders);
    }

    [Fact]
    public void Planted_CoversEveryRule() =>
        Assert.Equal(QualityRules.All.Select(r => r.Key).Order(), Planted.Select(p => (string)p[0]).Order());

    [Fact]
    public async Task ComputeAsync_CleanFixture_FindsNothingButTheInactiveCustomerAndScores100()
    {
        await QualityFixture.LoadAsync(_store, plant: false);
        await _store.RowsAsync("""
            UPDATE customers SET email = 'bo@example.com', phone = NULL WHERE customer_id = 'Q4';
            UPDATE customers SET email = 'ann2@example.com' WHERE customer_id = 'Q2';
            UPDATE customers SET phone = NULL WHERE customer_id = 'Q3';
            UPDATE customers SET birth_date = NULL WHERE customer_id = 'Q5';
            INSERT INTO consents (customer_id, channel, status, updated_at, import_id, created_import_id, revision, seen_import_id)
            VALUES ('Q5', 'email', 'denied', '2026-01-01 00:00:00', 0, 0, 0, 0);
            """);

        var report = await Quality.ComputeAsync(default);

        Assert.Equal(["inactive-12m"], report.Checks.Where(c => c.Offenders > 0).Select(c => c.Key));
        Assert.Equal(100, report.Score);
    }

    [Fact]
    public async Task ComputeAsync_Completeness_CountsFilledFieldsPerEntity()
    {
        await QualityFixture.LoadAsync(_store);

        var customers = (await Quality.ComputeAsync(default)).Entities.Single(e => e.Entity == "customers");

        Assert.Equal(6, customers.Rows);
        // Phones: Q1, Q2, Q3, Q4 of six = 66.7 %; loyalty tier: Q1, Q2, Q4, Q6 = 66.7 %; gender: none.
        Assert.Equal((4L, 66.7), customers.Fields.Single(f => f.Field == "phone") is var p ? (p.Filled, p.Percent) : default);
        Assert.Equal(0, customers.Fields.Single(f => f.Field == "gender").Filled);
    }

    [Fact]
    public void Score_AveragesPassSharesOfScoredChecks()
    {
        // (1 − 1/4) × 100 = 75 and 100 (nothing to check) → 87.5; the unscored check is ignored.
        var score = QualityRules.Score([
            new QualityCheck("a", "customers", "", "", 1, 4, true),
            new QualityCheck("b", "customers", "", "", 0, 0, true),
            new QualityCheck("c", "customers", "", "", 4, 4, false),
        ]);

        Assert.Equal(87.5, score);
    }

    [Fact]
    public async Task Imports_RecordASnapshotEach_ForTheTrend()
    {
        await QualityFixture.LoadAsync(_store, plant: false);

        var trend = await Quality.TrendAsync(50, default);

        Assert.Equal(5, trend.Count);
        Assert.All(trend, t => Assert.NotNull(t.ImportRunId));
        // After the customers import alone, Q4's email is already invalid; duplicates are there from the start.
        Assert.Equal(1, trend[0].Offenders["invalid-email"]);
        Assert.Equal(1, trend[^1].Offenders["duplicate-email"]);
    }

    [Fact]
    public async Task SnapshotAfterImport_RecomputesOnlyChecksReadingTheImportedTable()
    {
        await QualityFixture.LoadAsync(_store, plant: false);
        await _store.RowsAsync("""
            UPDATE products SET price = -1 WHERE sku = 'P1';
            INSERT INTO consents (customer_id, channel, status, updated_at, import_id, created_import_id, revision, seen_import_id)
            VALUES ('GHOST', 'sms', 'granted', '2026-01-01 00:00:00', 0, 0, 0, 0);
            """);

        Assert.True((await _store.ImportAsync(ImportKind.Products, "sku,name,category,price\nP9,Mug,Kitchen,4.00\n")).Succeeded);
        var snapshot = (await Quality.LatestAsync(default))!.Value.Report;

        // products changed: its check sees P1; consents did not: its check is carried over from the previous snapshot.
        Assert.Equal(1, snapshot.Checks.Single(c => c.Key == "negative-product-price").Offenders);
        Assert.Equal(0, snapshot.Checks.Single(c => c.Key == "orphan-consent-customer").Offenders);
        Assert.Equal(1, (await Quality.ComputeAsync(default)).Checks.Single(c => c.Key == "orphan-consent-customer").Offenders);
        Assert.Equal(["customers", "events", "order_lines"], QualityRules.Find("inactive-12m")!.Tables.Order());
    }

    [Fact]
    public async Task RecordsAsync_MissingField_ListsTheRowsWithoutIt()
    {
        await QualityFixture.LoadAsync(_store);

        var noPhone = await Quality.RecordsAsync("missing.customers.phone", 0, 100, default);
        var notAField = await Quality.RecordsAsync("missing.customers.customer_id; DROP TABLE customers", 0, 100, default);

        // Q5 and Q6 have no phone in QualityFixture.Customers.
        Assert.Equal(["Q5", "Q6"], noPhone!.Rows.Select(r => r[0]));
        Assert.Null(notAField);
    }
}
