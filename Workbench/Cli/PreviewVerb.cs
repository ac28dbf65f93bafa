using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Playbook;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // What one customer would get from a play: each channel's verdict with every reason and the rendered message.
    private static async Task<int> PreviewVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db", "play", "customer", "channel", "plays", "at");
        if (args.Positional.Count != 0) throw new CliUsageException("preview takes no positional arguments: preview --play <id> --customer <id>");
        var playId = args.Required("play");
        var customerId = args.Required("customer");
        DateTime? at = null;
        if (args.Get("at") is { } text)
        {
            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                throw new CliUsageException($"--at takes a time like 2026-11-24T12:00:00Z, not '{text}'");
            at = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        }

        PlaybookFile? file = null;
        if (args.Get("plays") is { } path)
        {
            if (!File.Exists(path))
            {
                await stderr.WriteLineAsync($"{path}: file not found");
                return 1;
            }
            var imported = PlaybookJson.Import(await File.ReadAllTextAsync(path, ct));
            if (!imported.IsValid)
            {
                foreach (var problem in imported.Problems) await stderr.WriteLineAsync($"{path}: {problem}");
                return 1;
            }
            file = imported.File;
        }

        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var previews = services.GetRequiredService<PlaybookPreviewService>();
        var outcome = file is null
            ? await previews.PreviewAsync(playId, customerId, args.Get("channel"), at, ct)
            : await previews.PreviewAsync(file, playId, customerId, args.Get("channel"), at, ct);
        if (outcome.Result is null)
        {
            await stderr.WriteLineAsync(outcome.Problem);
            return 1;
        }
        if (outcome.Basket is { } b)
            await stderr.WriteLineAsync($"recommendations from the stored basket model built {StoreTimeText(b.BuiltAt)} UTC from {b.Orders:N0} orders (the basket-model job; not rebuilt per preview)");
        await stdout.WriteLineAsync(JsonSerializer.Serialize(outcome.Result, PlaybookJson.Options));
        return 0;
    }

    private static string StoreTimeText(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
