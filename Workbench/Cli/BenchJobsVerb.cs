using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Core.Segments;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // On a loaded store: a full run of every job (the population figures refitted), then an import of 1,000 order lines
    // for 500 customers, and how long after its commit the customers' statistics, features and every saved segment's
    // membership were current (target 5 s at 1,000,000 customers).
    private static async Task<int> BenchJobsAsync(string work, TextWriter stdout, CancellationToken ct)
    {
        var dbFile = Path.Combine(work, "bench.db");
        await using var services = await OpenStoreAsync(dbFile, ct);
        var pipeline = services.GetRequiredService<JobPipeline>();
        var segments = services.GetRequiredService<SegmentService>();
        var connection = await StoreConnections.OpenAsync(services.GetRequiredService<StoreLocation>(), ct);
        await using (connection)
        {
            if (await connection.ScalarAsync<long>("SELECT COUNT(*) FROM segments", ct) == 0)
            {
                foreach (var template in SegmentTemplates.All)
                    await segments.SaveAsync(new SegmentDraft(null, template.Name, template.Definition, template.RuleJson, 0), "bench", ct);
            }
            var saved = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM segments", ct);
            var customers = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM customers", ct);
            await stdout.WriteLineAsync($"bench jobs: {customers:N0} customers, {saved} saved segments");

            var full = await (await pipeline.EnqueueAsync(JobRequest.Rebuild(JobTrigger.Demand, "bench"), ct)).Done;
            await stdout.WriteLineAsync("full run (every customer, population figures refitted):");
            foreach (var run in full.Runs) await stdout.WriteLineAsync($"  {run.Job,-22}{run.Duration?.TotalSeconds,8:0.00} s  {run.Status}  rows {run.Rows:N0}");
            var fullFresh = full.Runs.Where(r => r.Job != "quality-snapshot").Sum(r => r.Duration?.TotalSeconds ?? 0);
            await stdout.WriteLineAsync($"  statistics + features + segments for everyone: {fullFresh:0.0} s");

            // 1,000 new order lines for 500 customers spread over the store, two lines each.
            var ids = new List<string>();
            await using (var command = connection.Sql($"SELECT customer_id FROM customers ORDER BY customer_id LIMIT 500 OFFSET {Math.Max(0, customers / 2 - 250)}"))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
            }
            var skus = new List<string>();
            await using (var command = connection.Sql("SELECT sku FROM products ORDER BY sku LIMIT 20"))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) skus.Add(reader.GetString(0));
            }
            var tag = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var csv = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel\n");
            var at = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            for (var i = 0; i < ids.Count; i++)
            {
                for (var line = 1; line <= 2; line++)
                    csv.Append(CultureInfo.InvariantCulture, $"B{tag}-{i},{line},{ids[i]},{at},{skus[(i + line) % skus.Count]},1,{9.5 + line},0,web\n");
            }
            var file = Path.Combine(work, $"bench-jobs-{tag}.csv");
            await File.WriteAllTextAsync(file, csv.ToString(), ct);

            var imports = services.GetRequiredService<ImportService>();
            await using var stream = File.OpenRead(file);
            var result = await imports.ImportAsync(stream, new ImportRequest(ImportKind.Transactions, Path.GetFileName(file), ImportMode.AllOrNothing, "bench", stream.Length), null, ct);
            if (!result.Succeeded)
            {
                await stdout.WriteLineAsync(result.Summary);
                return 1;
            }
            var after = await pipeline.RunsOfRequestAsync(await connection.ScalarAsync<long>(
                "SELECT MAX(request_id) FROM job_runs WHERE \"trigger\" = 'Import'", ct), ct);
            await stdout.WriteLineAsync($"import: {result.Summary}");
            await stdout.WriteLineAsync("after the import (the touched customers only):");
            foreach (var run in after) await stdout.WriteLineAsync($"  {run.Job,-22}{run.Duration?.TotalSeconds,8:0.00} s  {run.Status}  rows {run.Rows:N0}");
            var committed = after.Min(r => r.QueuedAt);
            var current = after.Where(r => r.Job != "quality-snapshot").Max(r => r.FinishedAt ?? DateTime.MaxValue);
            var seconds = (current - committed).TotalSeconds;
            await stdout.WriteLineAsync($"statistics, features and {saved} segments' memberships current {seconds:0.00} s after the import's commit " +
                                        $"(target <= 5 s: {(seconds <= 5 ? "met" : "NOT met")}); the full run of the same jobs: {fullFresh:0.0} s");
            var featuresFull = full.Runs.Single(r => r.Job == "customer-features").Duration?.TotalSeconds ?? 0;
            await stdout.WriteLineAsync($"full feature rebuild in this run: {featuresFull:0.0} s (compare bench features in the same run of the machine)");
        }
        return 0;
    }
}
