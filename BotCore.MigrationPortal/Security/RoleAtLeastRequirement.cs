using Microsoft.AspNetCore.Authorization;

namespace BotCore.MigrationPortal.Security;

/// <summary>The policies named after the roles: the role claim must be that role or a higher one.</summary>
public sealed class RoleAtLeastRequirement(Role minimum) : AuthorizationHandler<RoleAtLeastRequirement>, IAuthorizationRequirement
{
    public Role Minimum => minimum;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleAtLeastRequirement requirement)
    {
        if (PortalPrincipal.RoleOf(context.User) >= requirement.Minimum) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    public override string ToString() => $"role {Minimum} or higher";
}
