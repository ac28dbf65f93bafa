using Workbench.Core.Users;

namespace Workbench.Tests.Core.Users;

public sealed class PersonalDataMaskTests
{
    [Theory]
    [InlineData("jane@example.com", "j***@example.com")]
    [InlineData("a@b.co", "a***@b.co")]
    [InlineData("not-an-email", "***")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void MaskEmail_KeepsFirstLetterAndDomain(string? email, string? expected) =>
        Assert.Equal(expected, PersonalDataMask.MaskEmail(email));

    [Theory]
    [InlineData("+44 7700 900123", "+44 *** *** 123")]
    [InlineData("+353 87 123 4567", "+353 *** *** 567")]
    [InlineData("+447528841845", "+44 *** *** 845")]
    [InlineData("+353871234567", "+353 *** *** 567")]
    [InlineData("+12025550123", "+1 *** *** 123")]
    [InlineData("07700 900123", "*** *** 123")]
    [InlineData("12", "***")]
    [InlineData(null, null)]
    public void MaskPhone_KeepsCountryCodeAndLastThreeDigits(string? phone, string? expected) =>
        Assert.Equal(expected, PersonalDataMask.MaskPhone(phone));
}
