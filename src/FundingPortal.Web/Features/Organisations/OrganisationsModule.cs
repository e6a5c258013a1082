namespace FundingPortal.Web.Features.Organisations;

public static class OrganisationsModule
{
    public static IHostApplicationBuilder AddOrganisations(this IHostApplicationBuilder builder) =>
        builder.AddHandlers(typeof(SaveOrganisation), typeof(GetOrganisations), typeof(ManageMembers));
}
