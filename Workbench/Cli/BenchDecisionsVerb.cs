using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Data;
using Workbench.Core.Playbook;
using Workbench.Core.Users;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // On a loaded store with the starter library's active plays: (a) a full campaign run over every customer and every
    // active play (eligibility, scoring, caps, variant and control assignment, the outbox write of every row), beside
    // sqlite3 reading what the run reads (every batch statement over the whole id range: the floor); (b) the real-time
    // API, GET /api/customers/{id}/next-best-action?channel=app, from `concurrency` loops for `seconds` against the app
    // started on the same store at 127.0.0.1, random customers (seeded), as an Analyst's API token.
    // Targets (issue 11): (a) 10 s and 1.5 GB at 1,000,000 customers and 300 plays; (b) p95 20 ms at 50 loops, no errors.
    private static async Task<int> BenchDecisionsAsync(string dbFile, int seed, int seconds, int concurrency, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        long customers, plays;
        string campaignId;
        string token;
        List<string> sample;
        await using (var services = await OpenStoreAsync(dbFile, ct))
        {
            var store = services.GetRequiredService<StoreLocation>();
            await PreparePlaybookAsync(services, store, stdout, ct);
            var active = await services.GetRequiredService<PlaybookStore>().PlaysAsync(PlayStatus.Active, ct);
            plays = active.Count;
            await using (var connection = await StoreConnections.OpenAsync(store, ct))
                customers = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM customers", ct);
            await stdout.WriteLineAsync($"bench decisions: {customers:N0} customers, {plays} active plays; load average {LoadAverage()}");

            // (a) A campaign of every active play for everyone: 10% control, two variants, substitute when capped.
            var campaigns = services.GetRequiredService<CampaignStore>();
            campaignId = "bench-every-play";
            var campaign = await campaigns.GetAsync(campaignId, ct);
            if (campaign is null)
            {
                var created = await campaigns.CreateAsync(new Campaign(campaignId, "Bench: every play", "bench", CampaignStatus.Draft, CampaignStage.Pilot,
                    active.Select(p => p.Id).Take(CampaignValidator.MaxPlays).ToList(), [], [],
                    new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * MON", TimeZone: "UTC"), 10,
                    [new CampaignVariant("a", 1), new CampaignVariant("b", 1)]), "bench", ct);
                if (created.Saved is null) throw new InvalidOperationException(string.Join("; ", created.Problems.Select(p => p.Message)));
                campaign = (await campaigns.UpdateAsync(created.Saved with { Status = CampaignStatus.Scheduled }, created.Saved.Version, "bench", ct)).Saved!;
            }
            var floor = await DecisionsFloorAsync(dbFile, store, stderr, ct);
            var runner = services.GetRequiredService<CampaignRunner>();
            GC.Collect();
            PeakMemory.Reset();
            var (allocatedBefore, pausedBefore, gcsBefore) = (GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(0));
            var watch = Stopwatch.StartNew();
            var runId = (await runner.ClaimManualAsync(campaign, "bench", ct))!.Value;
            var last = Stopwatch.StartNew();
            await runner.ExecuteAsync(runId, new Progress<CampaignRunProgress>(p =>
            {
                if (last.Elapsed.TotalSeconds < 10) return;
                last.Restart();
                stderr.WriteLine($"  {p.Processed:N0} of {p.Customers:N0} customers, {watch.Elapsed.TotalSeconds:0} s");
            }), ct);
            var elapsed = watch.Elapsed.TotalSeconds;
            var peak = PeakMemory.ReadBytes();
            var (allocated, paused, gcs) = (GC.GetTotalAllocatedBytes() - allocatedBefore, GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(0) - gcsBefore);
            var run = (await runner.GetAsync(runId, ct))!;
            var counts = await runner.CountsAsync(runId, ct);
            await stdout.WriteLineAsync($"(a) full run {runId} ({run.Status.ToString().ToLowerInvariant()}): {run.Processed:N0} customers × {campaign.PlayIds.Count} plays decided, " +
                                        $"{counts.Targeted:N0} outbox rows ({counts.Sent:N0} sends) in {elapsed:0.0} s ({run.Processed / elapsed:N0} customers/s); " +
                                        $"peak memory {peak / 1024.0 / 1024.0:N0} MB; allocated {allocated / 1024.0 / 1024.0 / 1024.0:N1} GB " +
                                        $"({(double)allocated / Math.Max(1, run.Processed) / 1024.0:N0} KB a customer), {gcs:N0} collections pausing {paused.TotalSeconds:0.0} s");
            await stdout.WriteLineAsync($"    floor (sqlite3 running the batch read's statements over every customer): {floor:0.0} s; run = " +
                                        $"{(floor is { } f && f > 0 ? elapsed / f : double.NaN):0.0}x; reasons: " +
                                        string.Join(", ", counts.ByReason.Select(kv => $"{kv.Key} {kv.Value:N0}")));
            await stdout.WriteLineAsync($"    targets: run <= 10 s: {(elapsed <= 10 ? "met" : "NOT met")}, peak <= 1.5 GB: {(peak <= 1536L << 20 ? "met" : "NOT met")}" +
                                        (customers < 1_000_000 ? $" (at {customers:N0} customers; the targets are for 1,000,000)" : ""));

            // (b) An Analyst and a token for the load loop.
            var users = services.GetRequiredService<UserService>();
            var name = "bench-analyst";
            var user = (await users.ListAsync()).FirstOrDefault(u => u.UserName == name);
            if (user is null)
            {
                var made = await users.CreateAsync(new NewUser(name, null, "Bench-" + Guid.NewGuid().ToString("N") + "!a1", Roles.Analyst), "bench", ct);
                if (!made.Succeeded) throw new InvalidOperationException(string.Join("; ", made.Errors));
                user = (await users.ListAsync()).Single(u => u.UserName == name);
            }
            token = (await services.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, user.UserName, "bench decisions", 1)).Token;
            sample = await RandomCustomersAsync(store, 5_000, seed, ct);
        }

        var port = FreeLoopbackPort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet", [typeof(CommandLine).Assembly.Location, "serve", "--urls", baseUrl])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["ConnectionStrings__Workbench"] = $"Data Source={Path.GetFullPath(dbFile)}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Workbench__Admin__UserName"] = "bench-admin";
        info.Environment["Workbench__Admin__Password"] = "Bench-" + Guid.NewGuid().ToString("N") + "!A1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var app = Process.Start(info)!;
        app.OutputDataReceived += (_, _) => { };
        app.ErrorDataReceived += (_, _) => { };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            for (var i = 0; ; i++)
            {
                try
                {
                    if ((await http.GetAsync("/login", ct)).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (i < 600)
                {
                }
                if (app.HasExited) throw new InvalidOperationException($"the app exited with {app.ExitCode}");
                await Task.Delay(100, ct);
            }
            // Warm-up: 200 requests, not counted.
            foreach (var id in sample.Take(200)) (await http.GetAsync(Address(id), ct)).Dispose();
            var stop = Stopwatch.StartNew();
            var times = new List<double>[concurrency];
            var errors = 0L;
            var loops = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
            {
                var mine = times[w] = [];
                var rng = new Random(seed + w);
                while (stop.Elapsed.TotalSeconds < seconds)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync(Address(sample[rng.Next(sample.Count)]), HttpCompletionOption.ResponseContentRead, ct);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
                }
            }, ct)).ToList();
            await Task.WhenAll(loops);
            var all = times.SelectMany(t => t).ToList();
            var duration = stop.Elapsed.TotalSeconds;
            var p95 = Quantile(all, 0.95);
            await stdout.WriteLineAsync($"(b) real-time API, {concurrency} concurrent loops for {duration:0} s: {all.Count:N0} requests ({all.Count / duration:N0}/s), " +
                                        $"{errors:N0} errors; median {Quantile(all, 0.5):0.0} ms, p95 {p95:0.0} ms, p99 {Quantile(all, 0.99):0.0} ms, max {all.DefaultIfEmpty().Max():0} ms");
            await stdout.WriteLineAsync($"    target p95 <= 20 ms with no errors: {(p95 <= 20 && errors == 0 ? "met" : "NOT met")}; load average {LoadAverage()}");
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync(CancellationToken.None);
        }
        return 0;

        static string Address(string id) => $"/api/customers/{Uri.EscapeDataString(id)}/next-best-action?channel=app";
    }

    // sqlite3 running every statement of the batch read over the whole id range, printing nothing.
    private static async Task<double?> DecisionsFloorAsync(string dbFile, StoreLocation store, TextWriter stderr, CancellationToken ct)
    {
        var now = Workbench.Core.Data.StoreTime.Format(DateTime.UtcNow);
        var since = Workbench.Core.Data.StoreTime.Format(DateTime.UtcNow.AddDays(-30));
        List<long> segments = [];
        await using (var connection = await StoreConnections.OpenAsync(store, ct))
        await using (var cmd = connection.Command("SELECT id FROM segments"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) segments.Add(r.GetInt64(0));
        string Bind(string sql, long? segment = null) => sql.Replace("$lo", "''").Replace("$hi", "x'ff'").Replace("$after", "''").Replace("$take", "-1")
            .Replace("$now", $"'{now}'").Replace("$since", $"'{since}'").Replace("$segment", (segment ?? 0).ToString(CultureInfo.InvariantCulture));
        var sql = new System.Text.StringBuilder(".output /dev/null\n");
        foreach (var statement in SnapshotReader.BatchStatements)
        {
            if (statement == SnapshotReader.BatchSegmentSql) foreach (var s in segments) sql.Append(Bind(statement, s)).Append(";\n");
            else sql.Append(Bind(statement)).Append(";\n");
        }
        return await RunSqlite3Async(dbFile, sql.ToString(), stderr, ct);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
