using System.Security.Claims;
using Workbench.Core.Customers;
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

// The same masking applied to whole records on their way out of a page or an endpoint.
public static class PersonalDataMasking
{
    public static CustomerListItem Mask(this ClaimsPrincipal user, CustomerListItem item) =>
        PersonalDataAccess.SeesPersonalData(user) ? item : item with { Email = PersonalDataMask.MaskEmail(item.Email) };

    public static CustomerProfile Mask(this ClaimsPrincipal user, CustomerProfile profile) =>
        PersonalDataAccess.SeesPersonalData(user) ? profile : profile with
        {
            Fields = profile.Fields.Select(f => f.Name switch
            {
                "email" => f with { Value = PersonalDataMask.MaskEmail(f.Value) },
                "phone" => f with { Value = PersonalDataMask.MaskPhone(f.Value) },
                _ => f,
            }).ToList(),
        };

    // A row of named columns (quality records, exports): the email and phone columns masked.
    public static IReadOnlyList<string?> MaskRow(this ClaimsPrincipal user, IReadOnlyList<string> columns, IReadOnlyList<string?> row)
    {
        if (PersonalDataAccess.SeesPersonalData(user)) return row;
        var masked = row.ToArray();
        for (var i = 0; i < masked.Length && i < columns.Count; i++)
        {
            masked[i] = columns[i] switch
            {
                "email" => PersonalDataMask.MaskEmail(masked[i]),
                "phone" => PersonalDataMask.MaskPhone(masked[i]),
                _ => masked[i],
            };
        }
        return masked;
    }
}
