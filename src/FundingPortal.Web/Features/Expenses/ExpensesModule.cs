using System.Security.Claims;

using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Http.HttpResults;

namespace FundingPortal.Web.Features.Expenses;

public static class ExpensesModule
{
    public static IHostApplicationBuilder AddExpenses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReceiptFiles>();
        builder.Services.AddScoped<SubmitExpense>();
        builder.Services.AddScoped<ReviewExpense>();
        builder.Services.AddScoped<GetExpenses>();
        return builder;
    }

    public static WebApplication MapExpenseEndpoints(this WebApplication app)
    {
        app.MapGet("/devops/expenses/{id:int}/receipt", DownloadReceiptAsync)
            .RequireAuthorization(Policies.Reviewer)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>A receipt for reviewers only, always as a download (never shown inline, so a crafted file cannot run in the portal's origin).</summary>
    private static async Task<Results<PhysicalFileHttpResult, NotFound, ForbidHttpResult>> DownloadReceiptAsync(int id, ClaimsPrincipal user, GetExpenses expenses,
        CancellationToken cancellationToken)
    {
        var receipt = await expenses.ReceiptAsync(id, user.RequiredUserId(), cancellationToken);
        return receipt.Problem?.Kind switch
        {
            null => TypedResults.PhysicalFile(receipt.Value!.FullPath, receipt.Value.ContentType, receipt.Value.FileName),
            ProblemKind.Forbidden => TypedResults.Forbid(),
            _ => TypedResults.NotFound(),
        };
    }
}
