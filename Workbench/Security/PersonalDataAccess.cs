using System.Security.Claims;
using Workbench.Core.Users;

namespace Workbench.Security;

// Viewers see contact details masked (j***@example.com, +44 *** *** 123); every other role sees them whole.
// Pages use <PersonalText>, API endpoints these helpers, so the masking happens on the server.
public static class PersonalDataAccess
{
    public static bool SeesPersonalData(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Marketer) || user.IsInRole(Roles.Analyst);

    public static string? Email(ClaimsPrincipal user, string? email) =>
        SeesPersonalData(user) ? email : PersonalDataMask.MaskEmail(email);

    public static string? Phone(ClaimsPrincipal user, string? phone) =>
        SeesPersonalData(user) ? phone : PersonalDataMask.MaskPhone(phone);
}

public enum PersonalField { Email, Phone }
