namespace FundingPortal.Core.Data.Configurations;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.Property(o => o.Name).HasMaxLength(Organisation.NameMaxLength);
        builder.Property(o => o.Slug).HasMaxLength(Organisation.SlugMaxLength);
        builder.Property(o => o.BillingEmail).HasMaxLength(Organisation.EmailMaxLength);
        builder.HasIndex(o => o.Slug).IsUnique();
        builder.HasIndex(o => o.StripeCustomerId).IsUnique();
        builder.HasMany(o => o.Members).WithOne().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(o => o.PublicName);
    }
}
