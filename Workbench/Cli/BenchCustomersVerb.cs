using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Core.Quality;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;
using Workbench.Core.Kpis;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Times what the customer pages ask of a loaded store: the stats rebuild, the list's first page (default sort,
    // sorted by revenue, a name search, an email search, a region filter), one profile, the quality figures, and the KPI
    // overview (its cells' rebuild and refresh, and the page's first view).
    private static async Task<int> BenchCustomersAsync(string dbFile, bool explain, TextWriter stdout, CancellationToken ct)
    {
        await using var services = await OpenStoreAsync(dbFile, ct);
        var store = services.GetRequiredService<StoreLocation>();
        var customers = services.GetRequiredService<CustomerService>();

        using (var session = store.Bulk.BeginSession(BulkSessionOptions.Default))
        {
            await stdout.WriteLineAsync($"store: {session.Scalar("SELECT COUNT(*) FROM customers"):N0} customers, " +
                $"~{session.Scalar("SELECT coalesce(MAX(rowid), 0) FROM order_lines"):N0} order lines");
            var clock = Stopwatch.StartNew();
            CustomerStatsBuilder.Rebuild(session);
            session.Commit();
            await stdout.WriteLineAsync($"customer_stats rebuild (INSERT ... SELECT ... GROUP BY over every line): {clock.Elapsed.TotalSeconds:0.00} s");
        }

        var page = await customers.ListAsync(new CustomerListQuery(), ct);
        var sample = page.Items.Count > 0 ? page.Items[^1] : null;
        var emailPrefix = (await customers.ListAsync(new CustomerListQuery(Take: 50), ct)).Items
            .Select(i => i.Email).FirstOrDefault(e => e is { Length: > 6 })?[..6] ?? "a";
        var region = (await customers.FilterOptionsAsync(ct)).Regions.FirstOrDefault();

        var cases = new (string Name, CustomerListQuery Query)[]
        {
            ("first page, default sort (id)", new CustomerListQuery()),
            ("first page, revenue descending", new CustomerListQuery(Sort: CustomerSort.Revenue, Descending: true)),
            ("first page, last purchase descending", new CustomerListQuery(Sort: CustomerSort.LastPurchase, Descending: true)),
            ($"search name '{sample?.LastName}'", new CustomerListQuery(Search: sample?.LastName)),
            ($"search email '{emailPrefix}'", new CustomerListQuery(Search: emailPrefix, SeesContactDetails: true)),
            ($"search id '{sample?.CustomerId}'", new CustomerListQuery(Search: sample?.CustomerId)),
            ($"filter region '{region}'", new CustomerListQuery(Region: region)),
            ("filter email consent granted", new CustomerListQuery(ConsentChannel: "email", ConsentStatus: "granted")),
        };
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync($"{"list query (25 rows + total)",-52}{"first ms",10}{"warm ms",10}{"total",14}");
        foreach (var (name, query) in cases)
        {
            var first = Stopwatch.StartNew();
            var result = await customers.ListAsync(query, ct);
            var firstMs = first.Elapsed.TotalMilliseconds;
            var warm = Stopwatch.StartNew();
            await customers.ListAsync(query, ct);
            await stdout.WriteLineAsync($"{name,-52}{firstMs,10:0}{warm.Elapsed.TotalMilliseconds,10:0}{(result.Capped ? "> " : "") + result.Total.ToString("N0"),14}");
            if (explain) await stdout.WriteLineAsync("    plan: " + string.Join(" | ", await customers.ExplainAsync(query, ct)));
        }

        var top = (await customers.ListAsync(new CustomerListQuery(Sort: CustomerSort.Revenue, Descending: true, Take: 1), ct)).Items;
        foreach (var id in new[] { sample?.CustomerId, top.FirstOrDefault()?.CustomerId }.OfType<string>())
        {
            var clock = Stopwatch.StartNew();
            var profile = await customers.ProfileAsync(id, ct);
            await stdout.WriteLineAsync($"profile of {id} ({profile?.Kpis.Orders} orders, {profile?.TimelineOrderCount} in the timeline): {clock.Elapsed.TotalMilliseconds:0} ms");
        }
        var qualityService = services.GetRequiredService<QualityService>();
        var quality = Stopwatch.StartNew();
        var report = await qualityService.ComputeAsync(ct);
        await stdout.WriteLineAsync($"quality figures, all (score {report.Score}): {quality.Elapsed.TotalSeconds:0.00} s");
        // What the snapshot after one import costs: only the checks reading the imported table are recomputed.
        foreach (var table in new[] { "customers", "order_lines", "events", "consents" })
        {
            quality.Restart();
            await qualityService.ComputeAsync(new HashSet<string> { table }, report, ct);
            await stdout.WriteLineAsync($"quality snapshot after a {table} import: {quality.Elapsed.TotalSeconds:0.00} s");
        }
        await BenchKpisAsync(services, stdout, ct);
        return 0;
    }

    private static async Task BenchKpisAsync(IServiceProvider services, TextWriter stdout, CancellationToken ct)
    {
        var store = services.GetRequiredService<StoreLocation>();
        await stdout.WriteLineAsync();
        await using (var connection = await StoreConnections.OpenAsync(store, ct))
        {
            // The floor: one plain pass over every order line, what any aggregation from scratch must read.
            var clock = Stopwatch.StartNew();
            var lines = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM (SELECT customer_id, TOTAL(quantity) FROM order_lines GROUP BY customer_id)", ct);
            var floor = clock.Elapsed;
            clock.Restart();
            long rows;
            await using (var tx = await connection.BeginWriteAsync(ct))
            {
                rows = await KpiMonthsBuilder.RebuildAsync(connection, ct);
                await tx.CommitAsync(ct);
            }
            await stdout.WriteLineAsync($"kpi-months rebuild ({rows:N0} customer months and their cells): {clock.Elapsed.TotalSeconds:0.00} s " +
                $"(floor, one GROUP BY customer_id over every line ({lines:N0} customers): {floor.TotalSeconds:0.00} s; load average {LoadAverage()})");

            // After an import of a thousand customers' lines: their months out of the cells and back in (rolled back here).
            clock.Restart();
            await using (var tx = await connection.BeginWriteAsync(ct))
            {
                await connection.ExecuteAsync("DELETE FROM touched_customers; INSERT INTO touched_customers (customer_id, import_run_id) " +
                    "SELECT customer_id, 0 FROM customer_stats WHERE orders > 0 ORDER BY customer_id LIMIT 1000", ct);
                var touched = await KpiMonthsBuilder.RefreshTouchedAsync(connection, ct);
                await stdout.WriteLineAsync($"kpi-months refresh of 1,000 touched customers ({touched:N0} customer months): {clock.Elapsed.TotalMilliseconds:0} ms");
                await tx.RollbackAsync(ct);
            }
        }

        var kpis = services.GetRequiredService<KpiService>();
        await stdout.WriteLineAsync($"{"KPI overview (the page's calls)",-52}{"first ms",10}{"warm ms",10}");
        var segments = await TimeAsync("first view: segments + last full month, everyone", async () =>
        {
            var list = await kpis.SegmentsAsync(ct);
            await kpis.OverviewAsync(new KpiQuery(), ct);
            return list;
        });
        await TimeAsync("last 12 full months, everyone", () => kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.LastTwelveMonths), ct));
        foreach (var split in new[] { KpiSplit.Region, KpiSplit.Channel, KpiSplit.Tier })
            await TimeAsync($"last full month, split by {split.ToString().ToLowerInvariant()}", () => kpis.OverviewAsync(new KpiQuery(Split: split), ct));
        if (segments.FirstOrDefault() is { } segment)
            await TimeAsync($"last full month, segment '{segment.Name}'", () => kpis.OverviewAsync(new KpiQuery(Split: KpiSplit.Segment, SegmentId: segment.Id), ct));
        await stdout.WriteLineAsync($"load average {LoadAverage()}");

        async Task<T> TimeAsync<T>(string name, Func<Task<T>> run)
        {
            var first = Stopwatch.StartNew();
            var result = await run();
            var firstMs = first.Elapsed.TotalMilliseconds;
            var warm = Stopwatch.StartNew();
            await run();
            await stdout.WriteLineAsync($"{name,-52}{firstMs,10:0}{warm.Elapsed.TotalMilliseconds,10:0}");
            return result;
        }
    }
}
