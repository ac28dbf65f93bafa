using System.Diagnostics;
using System.Globalization;
using Workbench.Core.Import.SampleData;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private static async Task<int> GenerateVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("customers", "out", "seed", "end", "clean");
        if (args.Positional.Count > 0) throw new CliUsageException($"generate takes no positional arguments ('{args.Positional[0]}')");
        var customers = args.GetLong("customers") ?? throw new CliUsageException("generate needs --customers N");
        if (customers is < 1 or > SampleDataOptions.MaxCustomers)
            throw new CliUsageException($"--customers takes 1 to {SampleDataOptions.MaxCustomers:N0}, not {customers:N0}");
        var directory = args.Required("out");
        var seed = args.GetLong("seed") ?? 42;
        if (seed > int.MaxValue) throw new CliUsageException($"--seed takes 0 to {int.MaxValue}, not {seed}");
        var endDate = SampleDataOptions.DefaultEndDate;
        if (args.Has("end") && !DateOnly.TryParseExact(args.Get("end"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out endDate))
            throw new CliUsageException($"--end takes a date as YYYY-MM-DD, not '{args.Get("end")}'");

        var options = new SampleDataOptions((int)customers, (int)seed, IncludeProblems: !args.Has("clean")) { EndDate = endDate };
        var clock = Stopwatch.StartNew();
        var summary = await SampleDataGenerator.WriteAsync(directory, options, new LineProgress(stderr), ct);
        var seconds = clock.Elapsed.TotalSeconds;

        await stderr.WriteLineAsync("archetypes: " + string.Join(", ", summary.Archetypes.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a.Archetype} {a.Customers:N0} ({100.0 * a.Customers / summary.Customers:0.0}% of customers, {100.0 * a.OrderLines / Math.Max(1, summary.OrderLines):0.0}% of lines)"))));
        foreach (var problem in summary.Problems.Describe()) await stderr.WriteLineAsync($"planted: {problem}");
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{directory}: customers.csv {summary.Customers:N0}, products.csv {summary.Products:N0}, transactions.csv {summary.OrderLines:N0}, events.csv {summary.Events:N0}, consents.csv {summary.Consents:N0} rows; {summary.Problems.Count} planted problems; {seconds:0.0} s ({summary.OrderLines / Math.Max(seconds, 0.001):N0} order lines/s)"));
        return 0;
    }

    // Reports on the generating thread, in order (Progress<T> would post to the thread pool).
    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
