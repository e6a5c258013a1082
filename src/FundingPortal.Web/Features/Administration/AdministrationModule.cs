using System.Security.Claims;

namespace FundingPortal.Web.Features.Administration;

public static class AdministrationModule
{
    public static IHostApplicationBuilder AddAdministration(this IHostApplicationBuilder builder) =>
        builder.AddHandlers(typeof(CreateAdmin), typeof(ManageApiTokens), typeof(ManageRoles), typeof(AuditLog), typeof(PortalSettings));

    public static WebApplication MapAdministrationEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.ApiToken).WithTags("Account");
        api.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new WhoAmI(
                user.RequiredUserId(), user.Identity?.Name ?? "", user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order().ToList())))
            .WithName("WhoAmI")
            .WithSummary("The account an API token belongs to, with its roles.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }
}

public sealed record WhoAmI(string UserId, string UserName, IReadOnlyList<string> Roles);
