using FundingPortal.Web.Features.Administration;
using FundingPortal.Web.Features.CiCosts;
using FundingPortal.Web.Features.CiUsage;
using FundingPortal.Web.Features.Demo;
using FundingPortal.Web.Features.Expenses;
using FundingPortal.Web.Features.FollowUp;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;
using FundingPortal.Web.Features.Organisations;
using FundingPortal.Web.Features.Payments;
using FundingPortal.Web.Features.Pledges;
using FundingPortal.Web.Features.Tasks;
using FundingPortal.Web.Features.Transparency;
using FundingPortal.Web.Infrastructure.Email;

using Microsoft.Extensions.Options;

WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddDatabase();
    builder.AddPortalIdentity();
    builder.AddEmail();
    builder.AddPortalShell();
    builder.AddOrganisations();
    builder.AddPledges();
    builder.AddAdministration();
    builder.AddFulfilment();
    builder.AddFollowUp();
    builder.AddTasks();
    builder.AddLedger();
    builder.AddExpenses();
    builder.AddCiUsage();
    builder.AddCiCosts();
    builder.AddPayments();
    builder.AddTransparency();
    builder.AddDemoData();
    app = builder.Build();
    app.Services.GetRequiredService<DatabaseSettings>();
}
catch (ConfigurationProblemException problem)
{
    await Console.Error.WriteLineAsync($"Configuration error: {problem.Message}");
    return 1;
}

try
{
    if (CommandLine.IsVerb(args))
    {
        return await CommandLine.RunAsync(app, args);
    }
    if (!await StartUp.PrepareAsync(app))
    {
        return 1;
    }

    app.UsePortalShell();
    app.MapPortalShell();
    app.MapAdministrationEndpoints();
    app.MapExpenseEndpoints();
    app.MapCiUsageEndpoints();
    app.MapCiCostEndpoints();
    app.MapPaymentEndpoints();
    app.MapTransparencyEndpoints();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException problem)
{
    await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", problem.Failures)}");
    return 1;
}

/// <summary>The web host's entry point, visible to the integration tests.</summary>
public partial class Program;
