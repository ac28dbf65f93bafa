using Microsoft.AspNetCore.Identity;

namespace Workbench.Core.Users;

public sealed class WorkbenchUser : IdentityUser
{
    public WorkbenchUser()
    {
    }

    public WorkbenchUser(string userName) : base(userName)
    {
    }
}
