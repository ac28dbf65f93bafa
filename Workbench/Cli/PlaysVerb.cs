using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Playbook;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // The playbook as a JSON file: import is all-or-nothing, export writes every use case and play.
    private static async Task<int> PlaysVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db");
        var action = args.Positional.Count > 0 ? args.Positional[0].ToLowerInvariant() : "";
        if (action is not ("import" or "export") || args.Positional.Count != 2)
            throw new CliUsageException("plays takes import or export and a file: plays import <file.json> | plays export <file.json>");
        var path = args.Positional[1];
        if (action == "import")
        {
            if (!File.Exists(path))
            {
                await stderr.WriteLineAsync($"{path}: file not found");
                return 1;
            }
            await using var services = await OpenStoreAsync(args.Get("db"), ct);
            PlaybookImportResult result;
            await using (var file = File.OpenRead(path))
                result = await services.GetRequiredService<PlaybookStore>().ImportAsync(file, Path.GetFileName(path), $"cli:{Environment.UserName}", ct);
            if (!result.Imported)
            {
                foreach (var problem in result.Problems) await stderr.WriteLineAsync(problem);
                await stderr.WriteLineAsync($"{path}: nothing imported ({result.Problems.Count} problem(s))");
                return 1;
            }
            await stdout.WriteLineAsync($"{path}: {result.UseCases} use case(s) created or changed, {result.Created} play(s) created, {result.Updated} updated");
            return 0;
        }
        await using (var services = await OpenStoreAsync(args.Get("db"), ct))
        {
            var playbook = await services.GetRequiredService<PlaybookStore>().ExportAsync(ct);
            // Written beside the target first, so a failed export leaves no half-written file.
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, PlaybookJson.Export(playbook), new UTF8Encoding(false), ct);
            File.Move(temp, path, overwrite: true);
            await stdout.WriteLineAsync($"{path}: {playbook.UseCases.Count} use case(s) and {playbook.Plays.Count} play(s) written");
        }
        return 0;
    }
}
