using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Csv;
using Workbench.Core.Data;
using Workbench.Core.Import;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Target: outcomes import >= 300,000 rows/s. A store with one finished run of N sends (written by SQL, the bench is of the
    // import, not of the run), then a sending platform's file of one outcome per send (every send delivered, a fifth
    // opened, a twentieth clicked, one in a hundred converted with revenue and margin) imported as a user would. The
    // floor: Debian's sqlite3 .import of the same file into a bare table, right before.
    private static async Task<int> BenchOutcomesAsync(long sends, string work, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var dbFile = Path.Combine(work, "outcomes.db");
        var floorFile = Path.Combine(work, "outcomes-floor.db");
        var file = Path.Combine(work, "outcomes.csv");
        foreach (var f in new[] { dbFile, floorFile }.SelectMany(f => new[] { f, f + "-wal", f + "-shm" })) File.Delete(f);
        await using var services = await OpenStoreAsync(dbFile, ct, followUps: false);
        var runId = await SeedBenchRunAsync(services, sends, ct);
        await WriteOutcomesFileAsync(file, runId, sends, ct);

        var floor = await RunSqlite3Async(floorFile, $".mode csv\n.import {file} outcomes\n", stderr, ct);
        GC.Collect();
        PeakMemory.Reset();
        var imports = services.GetRequiredService<ImportService>();
        await using var stream = File.OpenRead(file);
        var result = await imports.ImportAsync(stream,
            new ImportRequest(ImportKind.Outcomes, Path.GetFileName(file), ImportMode.AllOrNothing, "bench", stream.Length), null, ct);
        var peak = PeakMemory.ReadBytes();
        if (!result.Succeeded)
        {
            await stderr.WriteLineAsync(result.Summary);
            foreach (var p in result.Problems.Take(20)) await stderr.WriteLineAsync(p.Format(file));
            return 1;
        }
        var seconds = result.Duration.TotalSeconds;
        var rate = result.RowsRead / seconds;
        await stdout.WriteLineAsync($"bench outcomes: {result.RowsRead:N0} outcomes ({new FileInfo(file).Length / 1024.0 / 1024.0:N0} MB) onto {sends:N0} sends " +
            $"in {seconds:0.00} s, {rate:N0} rows/s ({result.Inserted:N0} inserted); peak working set {peak / 1024.0 / 1024.0:N0} MB; " +
            (floor is { } fl ? $"floor: sqlite3 .import into a bare table {fl:0.00} s ({result.RowsRead / fl:N0} rows/s, {seconds / fl:0.00}× the floor); " : "floor: n/a (no sqlite3); ") +
            $"load average {LoadAverage()}; target >= 300,000 rows/s: {(rate >= 300_000 ? "met" : "NOT met")}");
        return 0;
    }

    private static async Task<long> SeedBenchRunAsync(ServiceProvider services, long sends, CancellationToken ct)
    {
        var at = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        var factory = services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>();
        long runId;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            db.Add(new StoredCampaign
            {
                Id = "bench-outcomes", Name = "Bench outcomes", Owner = "bench", Status = CampaignStatus.Finished, Version = 1,
                UpdatedAt = at, UpdatedBy = "bench", Json = "{}",
            });
            var run = new StoredCampaignRun
            {
                CampaignId = "bench-outcomes", Occurrence = at, CampaignJson = "{}", AsOf = at, Status = CampaignRunStatus.Succeeded,
                ClaimedBy = "bench", LeaseUntil = at, Processed = sends, Targeted = sends, Sent = sends, RequestedBy = "bench",
                StartedAt = at, FinishedAt = at,
            };
            db.Add(run);
            await db.SaveChangesAsync(ct);
            runId = run.Id;
        }
        await using var connection = await StoreSql.OpenAsync(services.GetRequiredService<StoreLocation>(), ct);
        await using var insert = connection.Command(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count) " +
            "INSERT INTO campaign_sends (run_id, customer_id, arm, variant, channel, decided_at, sent, reason) " +
            "SELECT $run, printf('C%07d', i), 'A', 'A', 'email', $at, 1, 'sent' FROM n",
            ("$count", sends), ("$run", runId), ("$at", StoreTime.Format(at)));
        insert.CommandTimeout = 0;
        await insert.ExecuteNonQueryAsync(ct);
        return runId;
    }

    private static async Task WriteOutcomesFileAsync(string path, long runId, long sends, CancellationToken ct)
    {
        var at = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        await using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false), 1 << 16);
        await using var csv = SafeCsv.CreateWriter(writer);
        csv.WriteRow(["send_id", "delivered_at", "opened_at", "clicked_at", "converted_at", "revenue", "margin"]);
        for (long i = 1; i <= sends; i++)
        {
            if ((i & 0xFFFFF) == 0) ct.ThrowIfCancellationRequested();
            var t = at.AddSeconds(i % 86_400);
            csv.WriteField(string.Create(CultureInfo.InvariantCulture, $"{runId}-C{i:D7}"));
            csv.WriteField(Time(t.AddMinutes(1)));
            csv.WriteField(i % 5 == 0 ? Time(t.AddHours(2)) : "");
            csv.WriteField(i % 20 == 0 ? Time(t.AddHours(2).AddMinutes(1)) : "");
            var converted = i % 100 == 0;
            csv.WriteField(converted ? Time(t.AddHours(3)) : "");
            csv.WriteField(converted ? (20 + i % 80).ToString(CultureInfo.InvariantCulture) + ".50" : "");
            csv.WriteField(converted ? (6 + i % 24).ToString(CultureInfo.InvariantCulture) + ".15" : "");
            await csv.NextRecordAsync();
        }

        static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
