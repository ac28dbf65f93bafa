using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Decisioning;
using Workbench.Core.Playbook;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // The real-time decision for one customer, as the next-best-action API gives it.
    private static async Task<int> DecideVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db", "customer", "channel", "at");
        if (args.Positional.Count != 0) throw new CliUsageException("decide takes no positional arguments: decide --customer <id> [--channel email|sms|push|app]");
        var customerId = args.Required("customer");
        DateTime? at = null;
        if (args.Get("at") is { } text)
        {
            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                throw new CliUsageException($"--at takes a time like 2026-11-24T12:00:00Z, not '{text}'");
            at = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        }
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var outcome = await services.GetRequiredService<NextBestActionService>().DecideAsync(customerId, args.Get("channel"), at, ct);
        if (outcome.Action is null)
        {
            await stderr.WriteLineAsync(outcome.Problem);
            return 1;
        }
        await stdout.WriteLineAsync(JsonSerializer.Serialize(outcome.Action, PlaybookJson.Options));
        return 0;
    }
}
