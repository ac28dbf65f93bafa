using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Prints the same JSON as GET /api/customers/{id}; exit 1 with a problem on stderr when the id is unknown.
    private static async Task<int> CustomerVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db");
        if (args.Positional.Count != 1) throw new CliUsageException("customer needs one customer id: customer <id> [--db <sqlite file>]");
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var profile = await services.GetRequiredService<CustomerService>().ProfileAsync(args.Positional[0], ct);
        if (profile is null)
        {
            await stderr.WriteLineAsync($"customer '{args.Positional[0]}' not found");
            return 1;
        }
        await stdout.WriteLineAsync(JsonSerializer.Serialize(profile, CustomerJson.Options));
        return 0;
    }
}
