using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace FundingPortal.Core.Data;

/// <summary>
/// The one database of the portal: Identity, organisations, funds, tasks, pledges, the ledger, CI usage and the audit trail.
/// It runs on SQLite and on PostgreSQL; each provider has its own migrations assembly.
/// </summary>
public class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<OrganisationMember> OrganisationMembers => Set<OrganisationMember>();

    public DbSet<OrganisationInvitation> OrganisationInvitations => Set<OrganisationInvitation>();

    public DbSet<Fund> Funds => Set<Fund>();

    public DbSet<DevopsTask> Tasks => Set<DevopsTask>();

    public DbSet<TaskStatusChange> TaskStatusChanges => Set<TaskStatusChange>();

    public DbSet<Pledge> Pledges => Set<Pledge>();

    public DbSet<Installment> Installments => Set<Installment>();

    public DbSet<InstallmentReminder> InstallmentReminders => Set<InstallmentReminder>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<RefundRequest> RefundRequests => Set<RefundRequest>();

    public DbSet<TimeEntry> TimeEntries => Set<TimeEntry>();

    public DbSet<InKindDelivery> InKindDeliveries => Set<InKindDelivery>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<LedgerMonth> LedgerMonths => Set<LedgerMonth>();

    public DbSet<SponsorMonth> SponsorMonths => Set<SponsorMonth>();

    public DbSet<InstallmentTotal> InstallmentTotals => Set<InstallmentTotal>();

    public DbSet<HonouredMonth> HonouredMonths => Set<HonouredMonth>();

    public DbSet<TimeTotal> TimeTotals => Set<TimeTotal>();

    public DbSet<Expense> Expenses => Set<Expense>();

    public DbSet<CiProvider> CiProviders => Set<CiProvider>();

    public DbSet<CiRunnerPrice> CiRunnerPrices => Set<CiRunnerPrice>();

    public DbSet<CiUsageRecord> CiUsageRecords => Set<CiUsageRecord>();

    public DbSet<CiUsageMonth> CiUsageMonths => Set<CiUsageMonth>();

    public DbSet<CiUsageDay> CiUsageDays => Set<CiUsageDay>();

    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();

    public DbSet<ImportRejection> ImportRejections => Set<ImportRejection>();

    public DbSet<CreditPool> CreditPools => Set<CreditPool>();

    public DbSet<CiJobTimeout> CiJobTimeouts => Set<CiJobTimeout>();

    public DbSet<Budget> Budgets => Set<Budget>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<StripeEvent> StripeEvents => Set<StripeEvent>();

    public DbSet<PortalSetting> Settings => Set<PortalSetting>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnlyAndBumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnlyAndBumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and safe when members are added or reordered.
        foreach (var enumType in typeof(Money).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace == typeof(Money).Namespace))
        {
            configurationBuilder.Properties(enumType).HaveConversion<string>().HaveMaxLength(40);
        }
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 6);
    }

    private void GuardAppendOnlyAndBumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            // The one thing that may change on a ledger line is whether the public sees its counterparty; the money never changes.
            if (entry.Entity is LedgerEntry or AuditEvent && (entry.State is EntityState.Deleted || (entry.State is EntityState.Modified
                    && entry.Properties.Any(p => p.IsModified && !(entry.Entity is LedgerEntry && p.Metadata.Name == nameof(LedgerEntry.CounterpartyHidden))))))
            {
                throw new InvalidOperationException($"{entry.Entity.GetType().Name} rows are append-only: book a reversing entry instead.");
            }
            if (entry is { Entity: IVersioned versioned, State: EntityState.Modified })
            {
                versioned.Version++;
            }
        }
    }
}

/// <summary>Stores every <see cref="DateTime"/> as UTC and reads it back marked as UTC (SQLite keeps no kind).</summary>
internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
