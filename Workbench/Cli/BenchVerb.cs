using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Import.SampleData;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private static async Task<int> BenchVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("customers", "keep", "seed", "explain");
        var benchmark = args.Positional.Count == 1 ? args.Positional[0].ToLowerInvariant() : null;
        if (benchmark == "segments") return await BenchSegmentsAsync(args, stdout, ct);
        if (benchmark is not ("import" or "customers" or "features" or "jobs"))
            throw new CliUsageException("bench takes one benchmark: bench import|customers|features|jobs|segments [--customers N] [--keep DIR]");
        var customers = (int)(args.GetLong("customers") ?? 1_000_000);
        var seed = (int)(args.GetLong("seed") ?? 42);
        var work = args.Get("keep") ?? Path.Combine(Path.GetTempPath(), "workbench-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var dataDir = Path.Combine(work, "csv");
        Directory.CreateDirectory(dataDir);
        try
        {
            if (benchmark is "customers" or "features" or "jobs")
            {
                var dbFile = Path.Combine(work, "bench.db");
                if (!File.Exists(dbFile))
                {
                    var imported = await BenchImportAsync(customers, seed, work, dataDir, stdout, stderr, ct);
                    if (imported != 0) return imported;
                }
                else
                {
                    await stdout.WriteLineAsync($"bench customers: reusing the store {dbFile}");
                }
                return benchmark switch
                {
                    "customers" => await BenchCustomersAsync(dbFile, args.Has("explain"), stdout, ct),
                    "jobs" => await BenchJobsAsync(work, stdout, ct),
                    _ => await BenchFeaturesAsync(dbFile, stdout, stderr, ct),
                };
            }
            return await BenchImportAsync(customers, seed, work, dataDir, stdout, stderr, ct);
        }
        finally
        {
            if (args.Get("keep") is null) Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<int> BenchImportAsync(int customers, int seed, string work, string dataDir, TextWriter stdout,
        TextWriter stderr, CancellationToken ct)
    {
        await stdout.WriteLineAsync($"bench import: {customers:N0} customers, seed {seed}, files in {dataDir}");
        var generation = Stopwatch.StartNew();
        // In a child process, so the generator's memory does not count in the import's peak.
        if (!await RunSelfAsync(["generate", "--customers", customers.ToString(CultureInfo.InvariantCulture), "--out", dataDir,
                "--seed", seed.ToString(CultureInfo.InvariantCulture), "--clean"], stderr, ct))
        {
            await stderr.WriteLineAsync("generating the data failed");
            return 1;
        }
        await stdout.WriteLineAsync($"generated in {generation.Elapsed.TotalSeconds:0.0} s");

        var dbFile = Path.Combine(work, "bench.db");
        GC.Collect();
        PeakMemory.Reset();
        var results = new List<(ImportKind Kind, long Rows, double Seconds)>();
        await using (var services = await OpenStoreAsync(dbFile, ct, followUps: false))
        {
            var imports = services.GetRequiredService<ImportService>();
            foreach (var kind in StoreInitializer.LoadOrder)
            {
                var path = Path.Combine(dataDir, ImportSchemas.For(kind).FileName);
                await using var stream = File.OpenRead(path);
                var result = await imports.ImportAsync(stream,
                    new ImportRequest(kind, Path.GetFileName(path), ImportMode.AllOrNothing, "bench", stream.Length), null, ct);
                if (!result.Succeeded)
                {
                    await stderr.WriteLineAsync(result.Summary);
                    foreach (var p in result.Problems.Take(20)) await stderr.WriteLineAsync(p.Format(path));
                    return 1;
                }
                results.Add((kind, result.RowsRead, result.Duration.TotalSeconds));
                await stderr.WriteLineAsync(result.Summary);
            }
        }
        var peak = PeakMemory.ReadBytes();

        var floor = await SqliteFloorAsync(dataDir, Path.Combine(work, "floor.db"), stderr, ct);

        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync($"{"kind",-14}{"rows",14}{"seconds",10}{"rows/s",12}{"sqlite3 s",11}{"floor rows/s",14}{"x floor",9}");
        foreach (var (kind, rows, seconds) in results)
        {
            var f = floor?.GetValueOrDefault(kind);
            await stdout.WriteLineAsync(
                $"{kind.ToString().ToLowerInvariant(),-14}{rows,14:N0}{seconds,10:0.00}{rows / seconds,12:N0}" +
                (f is > 0 ? $"{f,11:0.00}{rows / f.Value,14:N0}{seconds / f.Value,9:0.00}" : $"{"n/a",11}{"",14}{"",9}"));
        }
        await stdout.WriteLineAsync($"peak memory during import: {peak / 1024.0 / 1024.0:N0} MB");

        var transactions = results.Single(r => r.Kind == ImportKind.Transactions);
        var rate = transactions.Rows / transactions.Seconds;
        await stdout.WriteLineAsync($"targets: transactions >= 300,000 lines/s: {(rate >= 300_000 ? "met" : "NOT met")} ({rate:N0}); " +
            $"within 2x of sqlite3: {(floor is null ? "n/a" : transactions.Seconds <= 2 * floor[ImportKind.Transactions] ? "met" : "NOT met")}; " +
            $"peak <= 500 MB: {(peak <= 500L * 1024 * 1024 ? "met" : "NOT met")}");
        return 0;
    }

    private static async Task<bool> RunSelfAsync(IEnumerable<string> verbArgs, TextWriter stderr, CancellationToken ct)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(typeof(CommandLine).Assembly.Location);
        foreach (var a in verbArgs) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await stderr.WriteAsync(await errors);
        await stderr.WriteAsync(await output);
        return process.ExitCode == 0;
    }

    // Debian's sqlite3 .import of the same files into bare tables (no constraints, no validation): the floor.
    private static async Task<Dictionary<ImportKind, double>?> SqliteFloorAsync(string dataDir, string dbFile, TextWriter stderr, CancellationToken ct)
    {
        var floor = new Dictionary<ImportKind, double>();
        foreach (var kind in StoreInitializer.LoadOrder)
        {
            var path = Path.Combine(dataDir, ImportSchemas.For(kind).FileName);
            var table = kind.ToString().ToLowerInvariant();
            var info = new ProcessStartInfo("sqlite3") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(dbFile);
            Process process;
            try
            {
                process = Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                await stderr.WriteLineAsync("sqlite3 not found: install Debian's sqlite3 (apt-get install sqlite3) to measure the floor");
                return null;
            }
            using (process)
            {
                var clock = Stopwatch.StartNew();
                await process.StandardInput.WriteLineAsync(".mode csv");
                await process.StandardInput.WriteLineAsync($".import {path} {table}");
                process.StandardInput.Close();
                var errors = await process.StandardError.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                floor[kind] = clock.Elapsed.TotalSeconds;
                if (process.ExitCode != 0) await stderr.WriteLineAsync($"sqlite3 .import {table}: {errors}");
            }
        }
        return floor;
    }
}

// Peak resident memory of this process, from the kernel (VmHWM), resettable so a phase can be measured alone.
internal static class PeakMemory
{
    public static void Reset()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static long ReadBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
