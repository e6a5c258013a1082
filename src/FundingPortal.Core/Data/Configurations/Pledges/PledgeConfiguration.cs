namespace FundingPortal.Core.Data.Configurations;

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
