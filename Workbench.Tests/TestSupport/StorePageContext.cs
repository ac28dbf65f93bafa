using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Workbench.Core.Audit;
using Workbench.Core.Users;
using Workbench.Security;

namespace Workbench.Tests.TestSupport;

// A bunit context for pages backed by Core services over a real SQLite store: MudBlazor, loose JS interop, the audit
// trail, the current user, and a signed-in Analyst (Auth changes who is signed in).
public abstract class StorePageContext : BunitContext, IAsyncLifetime
{
    protected TestStore Store { get; private set; } = null!;
    protected BunitAuthorizationContext Auth { get; private set; } = null!;

    // Fills the store and registers the Core services the page under test uses (with Use<T>).
    protected abstract Task ArrangeAsync(TestStore store);

    // The store's clock (null: the real one), for pages whose answers depend on today.
    protected virtual TimeProvider? Clock => null;

    protected void Use<T>() where T : class => Services.AddSingleton(Store.Services.GetRequiredService<T>());

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(Clock);
        await ArrangeAsync(Store);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Use<AuditService>();
        Services.AddScoped<CurrentUser>();
        Auth = AddAuthorization();
        SignInAs("ana", Roles.Analyst);
    }

    // The user with the role and the policies the app grants that role (bunit evaluates policies only as listed).
    protected void SignInAs(string name, string role) =>
        Auth.SetAuthorized(name).SetRoles(role)
            .SetPolicies(Workbench.Security.Access.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key).ToArray());

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Store.DisposeAsync();
    }
}
