using System.Security.Claims;
using Workbench.Core.Users;
using Workbench.Security;

namespace Workbench.Tests.Web;

public sealed class PersonalDataAccessTests
{
    [Theory]
    [InlineData(Roles.Viewer, "jane@example.com", "+44 7700 900123", "j***@example.com", "+44 *** *** 123")]
    [InlineData(Roles.Analyst, "jane@example.com", "+44 7700 900123", "jane@example.com", "+44 7700 900123")]
    [InlineData(Roles.Marketer, "jane@example.com", "+44 7700 900123", "jane@example.com", "+44 7700 900123")]
    [InlineData(Roles.Admin, "jane@example.com", "+44 7700 900123", "jane@example.com", "+44 7700 900123")]
    public void ContactDetails_MaskedForViewersOnly(string role, string email, string phone, string shownEmail, string shownPhone)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), new Claim(ClaimTypes.Role, role)], "test"));

        Assert.Equal(shownEmail, PersonalDataAccess.Email(user, email));
        Assert.Equal(shownPhone, PersonalDataAccess.Phone(user, phone));
    }
}
