using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Jobs;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private static async Task<int> SegmentVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var action = args.Positional.Count > 0 ? args.Positional[0].ToLowerInvariant() : "";
        switch (action)
        {
            case "count":
            {
                args.AllowOnly("db", "rule");
                var path = args.Required("rule");
                if (!File.Exists(path))
                {
                    await stderr.WriteLineAsync($"{path}: file not found");
                    return 1;
                }
                var parsed = RuleJson.Parse(await File.ReadAllTextAsync(path, ct));
                if (!parsed.IsValid)
                {
                    foreach (var problem in parsed.Problems) await stderr.WriteLineAsync($"{path}: {problem}");
                    return 1;
                }
                await using var services = await OpenStoreAsync(args.Get("db"), ct);
                try
                {
                    var count = await services.GetRequiredService<SegmentService>().CountAsync(parsed.Rule!, ct);
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(new { count }));
                    return 0;
                }
                catch (SegmentTimeLimitException e)
                {
                    await stderr.WriteLineAsync($"{path}: {e.Message}");
                    return 1;
                }
            }
            case "export":
            {
                args.AllowOnly("db", "out");
                if (args.Positional.Count != 2 || !long.TryParse(args.Positional[1], out var id))
                    throw new CliUsageException("segment export needs a segment id: segment export <id> --out <file.csv>");
                var path = args.Required("out");
                await using var services = await OpenStoreAsync(args.Get("db"), ct);
                var segments = services.GetRequiredService<SegmentService>();
                if (await segments.GetAsync(id, ct) is null)
                {
                    await stderr.WriteLineAsync($"no segment {id}");
                    return 1;
                }
                await using (var file = File.Create(path)) await segments.ExportAsync(id, file, ct);
                await stdout.WriteLineAsync($"segment {id} written to {path}");
                return 0;
            }
            case "refresh":
            {
                args.AllowOnly("db");
                await using var services = await OpenStoreAsync(args.Get("db"), ct);
                var result = await services.GetRequiredService<JobPipeline>().RunNowAsync([SegmentMembershipsJob.JobName], "command line", ct);
                if (result.Problem is { } problem)
                {
                    await stderr.WriteLineAsync(problem);
                    return 1;
                }
                var run = result.Runs.Single();
                await stdout.WriteLineAsync($"{run.Rows} segment(s) refreshed in {run.Duration?.TotalMilliseconds:N0} ms (job run {run.Id})");
                return 0;
            }
            default:
                throw new CliUsageException("segment takes count, export or refresh: segment count --rule <file.json> | segment export <id> --out <file.csv> | segment refresh");
        }
    }
}
