namespace FundingPortal.Web.Features.Organisations;

public static class OrganisationsModule
{
    public static IHostApplicationBuilder AddOrganisations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SaveOrganisation>();
        builder.Services.AddScoped<GetOrganisations>();
        builder.Services.AddScoped<ManageMembers>();
        return builder;
    }
}
