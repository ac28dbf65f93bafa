using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Workbench.Security;

// The signed-in user of this circuit or request, for pages and services that record who did something.
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string> UserNameAsync() =>
        (await PrincipalAsync()).Identity?.Name ?? throw new InvalidOperationException("no signed-in user");

    public async Task<string> UserIdAsync() =>
        (await PrincipalAsync()).FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no signed-in user");
}
