using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Jobs;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private static async Task<int> JobsVerbAsync(CliArgs args, TextWriter stdout, CancellationToken ct)
    {
        args.AllowOnly("db", "job");
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var pipeline = services.GetRequiredService<JobPipeline>();
        switch (args.Positional)
        {
            case ["run"]:
                var jobs = args.Get("job") is { } job ? new[] { job } : null;
                JobPipeline.Enqueued enqueued;
                try
                {
                    enqueued = await pipeline.EnqueueAsync(JobRequest.Rebuild(JobTrigger.Demand, $"cli:{Environment.UserName}", jobs), ct);
                }
                catch (ArgumentException e)
                {
                    throw new CliUsageException(e.Message.Split(" (Parameter")[0]);
                }
                await stdout.WriteLineAsync($"job request {enqueued.RequestId} queued");
                var result = await enqueued.Done.WaitAsync(ct);
                foreach (var run in result.Runs) await stdout.WriteLineAsync(Describe(run));
                return result.Succeeded ? 0 : 1;
            case ["list"]:
                var overview = await pipeline.OverviewAsync(50, ct);
                foreach (var run in overview.Running.Concat(overview.Queued).Concat(overview.Recent)) await stdout.WriteLineAsync(Describe(run));
                return 0;
            default:
                throw new CliUsageException("jobs takes one action: jobs run [--job <name>] [--db <sqlite file>] | jobs list [--db <sqlite file>]");
        }
    }

    private static string Describe(JobRunView run) => string.Create(CultureInfo.InvariantCulture,
        $"{run.Id} {run.Job} {run.Trigger.ToString().ToLowerInvariant()} {run.Status.ToString().ToLowerInvariant()}" +
        $"{(run.Rows is { } rows ? $" rows={rows}" : "")}{(run.Duration is { } d ? $" {d.TotalSeconds:0.00}s" : "")}{(run.Error is { } e ? $": {e}" : "")}");
}
