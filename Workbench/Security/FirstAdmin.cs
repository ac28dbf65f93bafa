using Workbench.Core.Users;

namespace Workbench.Security;

// With no user in the store, the app creates the Admin: Workbench:Admin:UserName (default admin) with
// Workbench:Admin:Password, or a generated password printed once here.
public static class FirstAdmin
{
    public static async Task EnsureAsync(IServiceProvider services, IConfiguration configuration, TextWriter console, CancellationToken ct)
    {
        var userName = configuration["Workbench:Admin:UserName"] is { Length: > 0 } name ? name : "admin";
        var generated = await services.GetRequiredService<UserService>()
            .EnsureFirstAdminAsync(userName, configuration["Workbench:Admin:Password"], ct);
        if (generated is null) return;
        await console.WriteLineAsync($"""

            ================================================================
             No user existed: created the Admin '{userName}'.
             Password (shown this once, change it on the Account page):
                 {generated}
            ================================================================

            """);
    }
}
