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
        var benchmark = args.Positional.Count == 1 ? args.Positional[0].ToLowerInvariant() : null;
        if (benchmark == "analysis")
        {
            args.AllowOnly("cells", "rows", "seed", "keep", "outcomes");
            return await BenchAnalysisAsync(args, stdout, stderr, ct);
        }
        if (benchmark == "outcomes")
        {
            args.AllowOnly("outcomes", "keep");
            var outcomesWork = args.Get("keep") ?? Path.Combine(Path.GetTempPath(), "workbench-bench-outcomes-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(outcomesWork);
            try
            {
                return await BenchOutcomesAsync(Math.Clamp(args.GetLong("outcomes") ?? 1_000_000, 1, 100_000_000), outcomesWork, stdout, stderr, ct);
            }
            finally
            {
                if (args.Get("keep") is null) Directory.Delete(outcomesWork, recursive: true);
            }
        }
        args.AllowOnly("customers", "keep", "seed", "explain", "seconds", "concurrency");
        if (benchmark == "segments") return await BenchSegmentsAsync(args, stdout, ct);
        if (benchmark is not ("import" or "customers" or "features" or "jobs" or "playbook" or "decisions"))
            throw new CliUsageException("bench takes one benchmark: bench import|customers|features|jobs|playbook|decisions|segments [--customers N] [--keep DIR] (decisions: [--seconds 60] [--concurrency 50]), or bench analysis [--cells N] [--rows N] [--outcomes N], or bench outcomes [--outcomes N] [--keep DIR]");
        var customers = (int)(args.GetLong("customers") ?? 1_000_000);
        var seed = (int)(args.GetLong("seed") ?? 42);
        var work = args.Get("keep") ?? Path.Combine(Path.GetTempPath(), "workbench-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var dataDir = Path.Combine(work, "csv");
        Directory.CreateDirectory(dataDir);
        try
        {
            if (benchmark is "customers" or "features" or "jobs" or "playbook" or "decisions")
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
                    "playbook" => await BenchPlaybookAsync(dbFile, seed, stdout, stderr, ct),
                    "decisions" => await BenchDecisionsAsync(dbFile, seed, (int)Math.Clamp(args.GetLong("seconds") ?? 60, 1, 3_600),
                        (int)Math.Clamp(args.GetLong("concurrency") ?? 50, 1, 500), stdout, stderr, ct),
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
        // Generated once per --keep folder: the marker names the scale and seed the files were made for.
        var marker = Path.Combine(dataDir, ".generated");
        var made = $"{customers} {seed}";
        if (File.Exists(marker) && (await File.ReadAllTextAsync(marker, ct)).Trim() == made)
        {
            await stdout.WriteLineAsync("reusing the generated files");
        }
        else
        {
            var generation = Stopwatch.StartNew();
            // In a child process, so the generator's memory does not count in the import's peak.
            if (!await RunSelfAsync(["generate", "--customers", customers.ToString(CultureInfo.InvariantCulture), "--out", dataDir,
                    "--seed", seed.ToString(CultureInfo.InvariantCulture), "--clean"], stderr, ct))
            {
                await stderr.WriteLineAsync("generating the data failed");
                return 1;
            }
            await File.WriteAllTextAsync(marker, made, ct);
            await stdout.WriteLineAsync($"generated in {generation.Elapsed.TotalSeconds:0.0} s");
        }

        var dbFile = Path.Combine(work, "bench.db");
        var floorFile = Path.Combine(work, "floor.db");
        foreach (var file in new[] { dbFile, floorFile }.SelectMany(f => new[] { f, f + "-wal", f + "-shm" })) File.Delete(file);
        // First, in a process that has imported nothing yet, so its peak is the hostile import's own.
        var hostile = await BenchHostileImportAsync(dbFile, dataDir, ct);
        GC.Collect();
        PeakMemory.Reset();
        var results = new List<(ImportKind Kind, long Rows, double Seconds, double? Floor)>();
        await using (var services = await OpenStoreAsync(dbFile, ct, followUps: false))
        {
            var imports = services.GetRequiredService<ImportService>();
            foreach (var kind in StoreInitializer.LoadOrder)
            {
                var path = Path.Combine(dataDir, ImportSchemas.For(kind).FileName);
                // The floor of each kind right before its import: on a shared machine the load moves within minutes.
                var floor = await SqliteFloorAsync(path, kind, floorFile, stderr, ct);
                await using var stream = File.OpenRead(path);
                var result = await imports.ImportAsync(stream,
                    new ImportRequest(kind, Path.GetFileName(path), ImportMode.AllOrNothing, "bench", stream.Length), null, ct);
                if (!result.Succeeded)
                {
                    await stderr.WriteLineAsync(result.Summary);
                    foreach (var p in result.Problems.Take(20)) await stderr.WriteLineAsync(p.Format(path));
                    return 1;
                }
                results.Add((kind, result.RowsRead, result.Duration.TotalSeconds, floor));
                await stderr.WriteLineAsync($"{result.Summary} (sqlite3 .import: {floor:0.0} s; load average {LoadAverage()})");
            }
        }
        var peak = PeakMemory.ReadBytes();

        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync($"{"kind",-14}{"rows",14}{"seconds",10}{"rows/s",12}{"sqlite3 s",11}{"floor rows/s",14}{"x floor",9}");
        foreach (var (kind, rows, seconds, f) in results)
        {
            await stdout.WriteLineAsync(
                $"{kind.ToString().ToLowerInvariant(),-14}{rows,14:N0}{seconds,10:0.00}{rows / seconds,12:N0}" +
                (f is > 0 ? $"{f,11:0.00}{rows / f.Value,14:N0}{seconds / f.Value,9:0.00}" : $"{"n/a",11}{"",14}{"",9}"));
        }
        await stdout.WriteLineAsync($"peak memory during import: {peak / 1024.0 / 1024.0:N0} MB; load average now {LoadAverage()}");
        await stdout.WriteLineAsync($"hostile file (the transactions with a quote never closed on line 2, {hostile.Bytes / 1024.0 / 1024.0:N0} MB): " +
            $"{hostile.Outcome} in {hostile.Seconds:0.00} s ({hostile.Message}); peak memory {hostile.Peak / 1024.0 / 1024.0:N0} MB");

        var transactions = results.Single(r => r.Kind == ImportKind.Transactions);
        await stdout.WriteLineAsync($"targets: transactions within 2x of sqlite3 .import: " +
            $"{(transactions.Floor is not { } tf ? "n/a" : transactions.Seconds <= 2 * tf ? "met" : "NOT met")} " +
            $"({(transactions.Floor is { } x ? transactions.Seconds / x : double.NaN):0.00}x); " +
            $"peak <= 500 MB: {(peak <= 500L * 1024 * 1024 ? "met" : "NOT met")}");
        return 0;
    }

    // The transactions file again, with a quote opened and never closed on line 2: the importer must stop at the field
    // limit instead of reading the rest of the file into one field. Peak memory is measured for this import alone.
    private static async Task<(string Outcome, string? Message, double Seconds, long Bytes, long Peak)> BenchHostileImportAsync(
        string dbFile, string dataDir, CancellationToken ct)
    {
        var source = Path.Combine(dataDir, ImportSchemas.Transactions.FileName);
        var path = Path.Combine(dataDir, "hostile-transactions.csv");
        await using (var output = File.Create(path))
        await using (var input = File.OpenRead(source))
        {
            using var reader = new StreamReader(input);
            var head = $"{await reader.ReadLineAsync(ct)}\nH1,1,C0000001,2026-03-01T10:00:00,\"SKU-00001,1,3.50,0,store\n";
            await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(head), ct);
            input.Position = 0;
            await input.CopyToAsync(output, ct);
        }
        GC.Collect();
        PeakMemory.Reset();
        await using var services = await OpenStoreAsync(dbFile, ct, followUps: false);
        var imports = services.GetRequiredService<ImportService>();
        await using var stream = File.OpenRead(path);
        var result = await imports.ImportAsync(stream,
            new ImportRequest(ImportKind.Transactions, Path.GetFileName(path), ImportMode.SkipInvalid, "bench", stream.Length), null, ct);
        var peak = PeakMemory.ReadBytes();
        File.Delete(path);
        return (result.Outcome.ToString().ToLowerInvariant(), result.Message, result.Duration.TotalSeconds, stream.Length, peak);
    }

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
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

    // Debian's sqlite3 .import of the same file into a bare table (no constraints, no validation): the floor, in seconds.
    private static async Task<double?> SqliteFloorAsync(string path, ImportKind kind, string dbFile, TextWriter stderr, CancellationToken ct)
    {
        var table = kind.ToString().ToLowerInvariant();
        var run = await RunSqlite3Async(dbFile, $".mode csv\n.import {path} {table}\n", stderr, ct);
        return run;
    }

    // Runs the sqlite3 shell on a store with these commands on its input; the seconds it took, or null without sqlite3.
    internal static async Task<double?> RunSqlite3Async(string dbFile, string commands, TextWriter stderr, CancellationToken ct)
    {
        var info = new ProcessStartInfo("sqlite3")
        {
            RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
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
            var output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.StandardInput.WriteAsync(commands);
            process.StandardInput.Close();
            await output;
            await process.WaitForExitAsync(ct);
            var seconds = clock.Elapsed.TotalSeconds;
            var message = await errors;
            if (process.ExitCode != 0 || message.Length > 0) await stderr.WriteLineAsync($"sqlite3: {message}");
            return seconds;
        }
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
