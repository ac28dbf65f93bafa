using Bunit;
using Workbench.Components.Shared;
using Workbench.Core.Users;
using Workbench.Security;

namespace Workbench.Tests.Components.Shared;

public sealed class PersonalTextTests : BunitContext
{
    [Theory]
    [InlineData(Roles.Viewer, PersonalField.Email, "jane@example.com", "j***@example.com")]
    [InlineData(Roles.Viewer, PersonalField.Phone, "+44 7700 900123", "+44 *** *** 123")]
    [InlineData(Roles.Analyst, PersonalField.Email, "jane@example.com", "jane@example.com")]
    [InlineData(Roles.Marketer, PersonalField.Phone, "+44 7700 900123", "+44 7700 900123")]
    [InlineData(Roles.Admin, PersonalField.Email, "jane@example.com", "jane@example.com")]
    public void Render_MasksContactDetailsForViewersOnly(string role, PersonalField field, string value, string expected)
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(role);

        var cut = Render<PersonalText>(p => p.Add(c => c.Value, value).Add(c => c.Field, field));

        Assert.Equal(expected, cut.Find(".personal-text").TextContent);
        if (expected != value) Assert.DoesNotContain(value, cut.Markup);
    }
}
