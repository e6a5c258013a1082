using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FundingPortal.Core.Data.Configurations;

internal sealed class FundConfiguration : IEntityTypeConfiguration<Fund>
{
    public void Configure(EntityTypeBuilder<Fund> builder)
    {
        builder.Property(f => f.Name).HasMaxLength(DevopsTask.TitleMaxLength);
        builder.HasOne(f => f.Task).WithOne(t => t.Fund).HasForeignKey<Fund>(f => f.TaskId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => f.TaskId).IsUnique();
    }
}

internal sealed class DevopsTaskConfiguration : IEntityTypeConfiguration<DevopsTask>
{
    public void Configure(EntityTypeBuilder<DevopsTask> builder)
    {
        builder.ToTable("Tasks");
        builder.Property(t => t.Title).HasMaxLength(DevopsTask.TitleMaxLength);
        builder.Property(t => t.Slug).HasMaxLength(Organisation.SlugMaxLength);
        builder.Property(t => t.Description).HasColumnType("text");
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.HasIndex(t => t.Status);
        builder.HasMany(t => t.History).WithOne().HasForeignKey(h => h.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(t => t.MoneyGoal);
        builder.Ignore(t => t.HoursGoal);
        builder.Ignore(t => t.AcceptsPledges);
    }
}

internal sealed class PledgeConfiguration : IEntityTypeConfiguration<Pledge>
{
    public void Configure(EntityTypeBuilder<Pledge> builder)
    {
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Property(p => p.ReviewReason).HasMaxLength(2000);
        builder.Property(p => p.InfrastructureDescription).HasMaxLength(1000);
        builder.Property(p => p.CancelReason).HasMaxLength(2000);
        builder.Property(p => p.EngineerName).HasMaxLength(TimeEntry.EngineerMaxLength);
        builder.HasOne(p => p.Organisation).WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(p => p.Fund).WithMany().HasForeignKey(p => p.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Installments).WithOne(i => i.Pledge).HasForeignKey(i => i.PledgeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.OrganisationId, p.Status });
        builder.HasIndex(p => new { p.FundId, p.Status });
        builder.HasIndex(p => p.Status);
        // Recurring money per month reads only this index.
        builder.HasIndex(p => new { p.Kind, p.Status, p.Frequency, p.Currency, p.AmountMinor });
        // Keeps InstallmentTotals and TimeTotals when a pledge moves (ADR 0009; created in the migrations of each provider).
        builder.ToTable(t => t.HasTrigger("Pledges_RollUp"));
        builder.HasIndex(p => p.StripeSubscriptionId).IsUnique();
        builder.Property(p => p.LastCheckoutSessionId).HasMaxLength(255);
        builder.HasIndex(p => p.LastCheckoutSessionId);
        builder.Ignore(p => p.Amount);
        builder.Ignore(p => p.HoursPerPeriod);
        builder.Ignore(p => p.Schedule);
        builder.Ignore(p => p.IsRecurring);
        builder.Ignore(p => p.IsLive);
        builder.Ignore(p => p.CanPayByCard);
        builder.Ignore(p => p.AwaitsCardPayment);
    }
}

internal sealed class InstallmentConfiguration : IEntityTypeConfiguration<Installment>
{
    public void Configure(EntityTypeBuilder<Installment> builder)
    {
        builder.Property(i => i.Currency).HasMaxLength(3);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Property(i => i.FollowUpNote).HasMaxLength(Installment.NoteMaxLength);
        builder.Property(i => i.ForgivenReason).HasMaxLength(Installment.NoteMaxLength);
        builder.HasIndex(i => new { i.PledgeId, i.Sequence }).IsUnique();
        builder.HasIndex(i => new { i.Status, i.DueDate });
        // The honoured rate reads the months before this one from HonouredMonths and this month's installments from this index alone.
        builder.HasIndex(i => new { i.DueDate, i.Status, i.PledgeId, i.HoursDueMinutes, i.HoursDeliveredMinutes, i.AmountDueMinor, i.AmountReceivedMinor });
        // Keep InstallmentTotals and HonouredMonths (ADR 0009; created in the migrations of each provider).
        builder.ToTable(t => t.HasTrigger("Installments_RollUp"));
        builder.Ignore(i => i.Period);
        builder.Ignore(i => i.DueUnits);
        builder.Ignore(i => i.DeliveredUnits);
        builder.Ignore(i => i.OutstandingUnits);
        builder.Ignore(i => i.IsOpen);
    }
}

internal sealed class InstallmentReminderConfiguration : IEntityTypeConfiguration<InstallmentReminder>
{
    public void Configure(EntityTypeBuilder<InstallmentReminder> builder)
    {
        builder.Property(r => r.SentTo).HasMaxLength(320);
        builder.HasOne<Installment>().WithMany().HasForeignKey(r => r.InstallmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.InstallmentId, r.Stage }).IsUnique();
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.BaseCurrency).HasMaxLength(3);
        builder.Property(p => p.ExchangeRate).HasPrecision(18, 8);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Pledge>().WithMany().HasForeignKey(p => p.PledgeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Installment>().WithMany().HasForeignKey(p => p.InstallmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Fund>().WithMany().HasForeignKey(p => p.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.ExternalId).IsUnique();
        builder.HasIndex(p => p.StripeCheckoutSessionId).IsUnique();
        builder.HasIndex(p => p.StripePaymentIntentId).IsUnique();
        builder.HasIndex(p => p.StripeInvoiceId).IsUnique();
        builder.Property(p => p.FlagReason).HasMaxLength(500);
        builder.Property(p => p.OverpaymentReason).HasMaxLength(Payment.VoidReasonMaxLength);
        builder.Property(p => p.VoidReason).HasMaxLength(Payment.VoidReasonMaxLength);
        builder.HasIndex(p => new { p.OrganisationId, p.ReceivedAt });
        builder.HasIndex(p => p.ReceivedAt);
        builder.Ignore(p => p.Amount);
        builder.Ignore(p => p.BaseAmount);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> builder)
    {
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.HasOne<Payment>().WithMany().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.ExternalId).IsUnique();
        builder.Ignore(r => r.Amount);
    }
}

internal sealed class RefundRequestConfiguration : IEntityTypeConfiguration<RefundRequest>
{
    public void Configure(EntityTypeBuilder<RefundRequest> builder)
    {
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property(r => r.Reason).HasMaxLength(RefundRequest.ReasonMaxLength);
        builder.Property(r => r.StripeRefundId).HasMaxLength(255);
        builder.HasOne<Payment>().WithMany().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(r => r.Amount);
    }
}

internal sealed class TimeEntryConfiguration : IEntityTypeConfiguration<TimeEntry>
{
    public void Configure(EntityTypeBuilder<TimeEntry> builder)
    {
        builder.Property(t => t.Engineer).HasMaxLength(TimeEntry.EngineerMaxLength);
        builder.Property(t => t.Description).HasMaxLength(TimeEntry.DescriptionMaxLength);
        builder.Property(t => t.RejectionReason).HasMaxLength(2000);
        // Optional on DeliveredInKind, as the InKindDeliveries column always was; the TimeEntries column is and stays NOT NULL.
        builder.Property(t => t.RecordedByUserId).IsRequired();
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne<Pledge>().WithMany().HasForeignKey(t => t.PledgeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Installment>().WithMany().HasForeignKey(t => t.InstallmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => new { t.PledgeId, t.Status });
        builder.Ignore(t => t.Hours);
        // Keeps TimeTotals (ADR 0009; created in the migrations of each provider).
        builder.ToTable(t => t.HasTrigger("TimeEntries_RollUp"));
    }
}

internal sealed class InKindDeliveryConfiguration : IEntityTypeConfiguration<InKindDelivery>
{
    public void Configure(EntityTypeBuilder<InKindDelivery> builder)
    {
        builder.Property(d => d.Currency).HasMaxLength(3);
        builder.Property(d => d.Description).HasMaxLength(TimeEntry.DescriptionMaxLength);
        builder.Property(d => d.RejectionReason).HasMaxLength(2000);
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Ignore(d => d.Value);
        builder.HasOne<Pledge>().WithMany().HasForeignKey(d => d.PledgeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Installment>().WithMany().HasForeignKey(d => d.InstallmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.PledgeId);
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.OriginalCurrency).HasMaxLength(3);
        builder.Property(e => e.ExchangeRate).HasPrecision(18, 8);
        builder.Property(e => e.Description).HasMaxLength(1000);
        builder.HasOne<Fund>().WithMany().HasForeignKey(e => e.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Payment>().WithMany().HasForeignKey(e => e.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Refund>().WithMany().HasForeignKey(e => e.RefundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Expense>().WithMany().HasForeignKey(e => e.ExpenseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(e => e.CounterpartyOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.FundId, e.OccurredAt });
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => e.CounterpartyOrganisationId);
        builder.HasIndex(e => e.ReversesEntryId).IsUnique();
        builder.Ignore(e => e.Amount);
        // Keep LedgerMonths and SponsorMonths (ADR 0009 and 0010; created in the migrations of each provider).
        builder.ToTable(t =>
        {
            t.HasTrigger("LedgerEntries_RollUp");
            t.HasTrigger("LedgerEntries_RollUp_Hidden");
        });
    }
}

internal sealed class LedgerMonthConfiguration : IEntityTypeConfiguration<LedgerMonth>
{
    public void Configure(EntityTypeBuilder<LedgerMonth> builder)
    {
        builder.HasKey(m => new { m.FundId, m.Month, m.Kind, m.OfKind });
        builder.HasOne<Fund>().WithMany().HasForeignKey(m => m.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.Month);
    }
}

internal sealed class SponsorMonthConfiguration : IEntityTypeConfiguration<SponsorMonth>
{
    public void Configure(EntityTypeBuilder<SponsorMonth> builder)
    {
        builder.HasKey(m => new { m.OrganisationId, m.Month });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.Month);
    }
}

internal sealed class InstallmentTotalConfiguration : IEntityTypeConfiguration<InstallmentTotal>
{
    public void Configure(EntityTypeBuilder<InstallmentTotal> builder)
    {
        builder.HasKey(t => new { t.FundId, t.PledgeKind, t.PledgeStatus, t.Status, t.Currency });
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.HasOne<Fund>().WithMany().HasForeignKey(t => t.FundId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class HonouredMonthConfiguration : IEntityTypeConfiguration<HonouredMonth>
{
    public void Configure(EntityTypeBuilder<HonouredMonth> builder)
    {
        builder.HasKey(m => new { m.OrganisationId, m.Month });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.Month);
    }
}

internal sealed class TimeTotalConfiguration : IEntityTypeConfiguration<TimeTotal>
{
    public void Configure(EntityTypeBuilder<TimeTotal> builder)
    {
        builder.HasKey(t => new { t.FundId, t.OrganisationId });
        builder.HasOne<Fund>().WithMany().HasForeignKey(t => t.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ExpenseConfiguration : IEntityTypeConfiguration<Expense>
{
    public void Configure(EntityTypeBuilder<Expense> builder)
    {
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.Vendor).HasMaxLength(200);
        builder.Property(e => e.Description).HasMaxLength(2000);
        builder.Property(e => e.RejectionReason).HasMaxLength(2000);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasOne<Fund>().WithMany().HasForeignKey(e => e.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(e => e.CiProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.Status, e.IncurredOn });
        builder.HasIndex(e => new { e.CiProviderId, e.BillingMonth });
        builder.Ignore(e => e.Amount);
    }
}
