namespace FundingPortal.Web.Features.Organisations;

/// <summary>Creates an organisation (the creator becomes its owner) or updates its profile (owner only).</summary>
public sealed class SaveOrganisation(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public async Task<Result<int>> CreateAsync(OrganisationInput input, string userId, CancellationToken cancellationToken = default)
    {
        var profile = input.Validate();
        if (!profile.Succeeded)
        {
            return profile.Problem!;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await SlugTakenAsync(db, profile.Value!.Slug, exceptId: null, cancellationToken))
        {
            return SlugTaken();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var organisation = Organisation.Create(profile.Value, userId, now);
        db.Organisations.Add(organisation);
        return await SaveAsync(db, organisation, "organisation.created", null, profile.Value, userId, now, cancellationToken);
    }

    public async Task<Result<int>> UpdateAsync(int organisationId, OrganisationInput input, string userId, CancellationToken cancellationToken = default)
    {
        var profile = input.Validate();
        if (!profile.Succeeded)
        {
            return profile.Problem!;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var access = await db.ForOwnerAsync(organisationId, userId, cancellationToken);
        if (!access.Succeeded)
        {
            return access.Problem!;
        }
        var organisation = access.Value!;
        if (await SlugTakenAsync(db, profile.Value!.Slug, organisation.Id, cancellationToken))
        {
            return SlugTaken();
        }
        var before = OrganisationInput.From(organisation).Validate().Value;
        organisation.Update(profile.Value);
        return await SaveAsync(db, organisation, "organisation.updated", before, profile.Value, userId, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private static async Task<Result<int>> SaveAsync(AppDbContext db, Organisation organisation, string action, OrganisationProfile? before,
        OrganisationProfile after, string userId, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.Audit(action, nameof(Organisation), organisation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), userId, now, organisation.Id, before, after);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(organisation.Id);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return SlugTaken();
        }
    }

    private static Task<bool> SlugTakenAsync(AppDbContext db, string slug, int? exceptId, CancellationToken cancellationToken) =>
        db.Organisations.AnyAsync(o => o.Slug == slug && o.Id != exceptId, cancellationToken);

    private static Result<int> SlugTaken() =>
        Result<int>.Invalid(nameof(OrganisationInput.Slug), "Another organisation already uses that slug. Choose another.");
}
