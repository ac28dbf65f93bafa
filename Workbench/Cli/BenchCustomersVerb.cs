using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Core.Quality;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Times what the customer pages ask of a loaded store: the stats rebuild, the list's first page (default sort,
    // sorted by revenue, a name search, an email search, a region filter), one profile and the quality figures.
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
        return 0;
    }
}
