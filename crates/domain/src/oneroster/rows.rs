//! Turning one data row of each file into its typed record, with the checks that need only
//! that row. Every value is read before the record is assembled, so all of a row's problems are
//! reported, not only the first.

use chrono::NaiveDate;

use super::reader::Row;
use super::records::{AcademicSession, Class, Course, Demographics, Enrollment, Org, Role, User, UserProfile};

pub(super) fn org(r: &mut Row) -> Option<Org> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let name = r.text("name");
    let kind = r.vocab("type");
    let identifier = r.opt_text("identifier");
    let parent_sourced_id = r.opt_guid("parentSourcedId");
    r.ok()?;
    Some(Org {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        name: name?,
        r#type: kind?,
        identifier,
        parent_sourced_id,
        metadata: r.metadata(),
    })
}

pub(super) fn academic_session(r: &mut Row) -> Option<AcademicSession> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let title = r.text("title");
    let kind = r.vocab("type");
    let start_date = r.date("startDate");
    let end_date = r.date("endDate");
    let parent_sourced_id = r.opt_guid("parentSourcedId");
    let school_year = r.year("schoolYear");
    date_order(r, start_date, end_date, "startDate", "endDate");
    r.ok()?;
    Some(AcademicSession {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        title: title?,
        r#type: kind?,
        start_date: start_date?,
        end_date: end_date?,
        parent_sourced_id,
        school_year: school_year?,
        metadata: r.metadata(),
    })
}

pub(super) fn course(r: &mut Row) -> Option<Course> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let school_year_sourced_id = r.opt_guid("schoolYearSourcedId");
    let title = r.text("title");
    let course_code = r.opt_text("courseCode");
    let grades = r.string_list("grades");
    let org_sourced_id = r.guid("orgSourcedId");
    let subjects = r.string_list("subjects");
    let subject_codes = r.string_list("subjectCodes");
    subjects_match(r, &subjects, &subject_codes);
    r.ok()?;
    Some(Course {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        school_year_sourced_id,
        title: title?,
        course_code,
        grades,
        org_sourced_id: org_sourced_id?,
        subjects,
        subject_codes,
        metadata: r.metadata(),
    })
}

pub(super) fn class(r: &mut Row) -> Option<Class> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let title = r.text("title");
    let grades = r.string_list("grades");
    let course_sourced_id = r.guid("courseSourcedId");
    let class_code = r.opt_text("classCode");
    let class_type = r.vocab("classType");
    let location = r.opt_text("location");
    let school_sourced_id = r.guid("schoolSourcedId");
    let term_sourced_ids = r.guid_list("termSourcedIds", true);
    let subjects = r.string_list("subjects");
    let subject_codes = r.string_list("subjectCodes");
    let periods = r.string_list("periods");
    subjects_match(r, &subjects, &subject_codes);
    r.ok()?;
    Some(Class {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        title: title?,
        grades,
        course_sourced_id: course_sourced_id?,
        class_code,
        class_type: class_type?,
        location,
        school_sourced_id: school_sourced_id?,
        term_sourced_ids,
        subjects,
        subject_codes,
        periods,
        metadata: r.metadata(),
    })
}

pub(super) fn user(r: &mut Row) -> Option<User> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let enabled_user = r.boolean("enabledUser");
    let username = r.text("username");
    let user_ids = r.user_ids("userIds");
    let given_name = r.text("givenName");
    let family_name = r.text("familyName");
    let middle_name = r.opt_text("middleName");
    let identifier = r.opt_text("identifier");
    let email = r.opt_text("email");
    let sms = r.opt_text("sms");
    let phone = r.opt_text("phone");
    let agent_sourced_ids = r.guid_list("agentSourcedIds", false);
    let grades = r.string_list("grades");
    let password = r.opt_password("password");
    let user_master_identifier = r.opt_text("userMasterIdentifier");
    let preferred_given_name = r.opt_text("preferredGivenName");
    let preferred_middle_name = r.opt_text("preferredMiddleName");
    let preferred_family_name = r.opt_text("preferredFamilyName");
    let primary_org_sourced_id = r.opt_guid("primaryOrgSourcedId");
    let pronouns = r.opt_text("pronouns");
    r.ok()?;
    Some(User {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        enabled_user: enabled_user?,
        username: username?,
        user_ids,
        given_name: given_name?,
        family_name: family_name?,
        middle_name,
        identifier,
        email,
        sms,
        phone,
        agent_sourced_ids,
        grades,
        password,
        user_master_identifier,
        preferred_given_name,
        preferred_middle_name,
        preferred_family_name,
        primary_org_sourced_id,
        pronouns,
        metadata: r.metadata(),
    })
}

pub(super) fn role(r: &mut Row) -> Option<Role> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let user_sourced_id = r.guid("userSourcedId");
    let role_type = r.vocab("roleType");
    let role = r.vocab("role");
    let begin_date = r.opt_date("beginDate");
    let end_date = r.opt_date("endDate");
    let org_sourced_id = r.guid("orgSourcedId");
    let user_profile_sourced_id = r.opt_guid("userProfileSourcedId");
    date_order(r, begin_date, end_date, "beginDate", "endDate");
    r.ok()?;
    Some(Role {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        user_sourced_id: user_sourced_id?,
        role_type: role_type?,
        role: role?,
        begin_date,
        end_date,
        org_sourced_id: org_sourced_id?,
        user_profile_sourced_id,
        metadata: r.metadata(),
    })
}

pub(super) fn user_profile(r: &mut Row) -> Option<UserProfile> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let user_sourced_id = r.guid("userSourcedId");
    let profile_type = r.text("profileType");
    let vendor_id = r.text("vendorId");
    let application_id = r.opt_text("applicationId");
    let description = r.opt_text("description");
    let credential_type = r.text("credentialType");
    let username = r.text("username");
    let password = r.opt_password("password");
    r.ok()?;
    Some(UserProfile {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        user_sourced_id: user_sourced_id?,
        profile_type: profile_type?,
        vendor_id: vendor_id?,
        application_id,
        description,
        credential_type: credential_type?,
        username: username?,
        password,
        metadata: r.metadata(),
    })
}

pub(super) fn demographics(r: &mut Row) -> Option<Demographics> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let birth_date = r.opt_date("birthDate");
    let sex = r.opt_vocab("sex");
    let american_indian_or_alaska_native = r.opt_bool("americanIndianOrAlaskaNative");
    let asian = r.opt_bool("asian");
    let black_or_african_american = r.opt_bool("blackOrAfricanAmerican");
    let native_hawaiian_or_other_pacific_islander = r.opt_bool("nativeHawaiianOrOtherPacificIslander");
    let white = r.opt_bool("white");
    let demographic_race_two_or_more_races = r.opt_bool("demographicRaceTwoOrMoreRaces");
    let hispanic_or_latino_ethnicity = r.opt_bool("hispanicOrLatinoEthnicity");
    let country_of_birth_code = r.opt_text("countryOfBirthCode");
    let state_of_birth_abbreviation = r.opt_text("stateOfBirthAbbreviation");
    let city_of_birth = r.opt_text("cityOfBirth");
    let public_school_residence_status = r.opt_text("publicSchoolResidenceStatus");
    r.ok()?;
    Some(Demographics {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        birth_date,
        sex,
        american_indian_or_alaska_native,
        asian,
        black_or_african_american,
        native_hawaiian_or_other_pacific_islander,
        white,
        demographic_race_two_or_more_races,
        hispanic_or_latino_ethnicity,
        country_of_birth_code,
        state_of_birth_abbreviation,
        city_of_birth,
        public_school_residence_status,
        metadata: r.metadata(),
    })
}

pub(super) fn enrollment(r: &mut Row) -> Option<Enrollment> {
    let (status, date_last_modified) = r.bulk_status();
    let sourced_id = r.guid("sourcedId");
    let class_sourced_id = r.guid("classSourcedId");
    let school_sourced_id = r.guid("schoolSourcedId");
    let user_sourced_id = r.guid("userSourcedId");
    let role = r.vocab("role");
    let primary = r.opt_bool("primary");
    let begin_date = r.opt_date("beginDate");
    let end_date = r.opt_date("endDate");
    date_order(r, begin_date, end_date, "beginDate", "endDate");
    r.ok()?;
    Some(Enrollment {
        sourced_id: sourced_id?,
        status,
        date_last_modified,
        class_sourced_id: class_sourced_id?,
        school_sourced_id: school_sourced_id?,
        user_sourced_id: user_sourced_id?,
        role: role?,
        primary,
        begin_date,
        end_date,
        metadata: r.metadata(),
    })
}

/// An end date (exclusive) before the start date describes no time at all.
fn date_order(r: &mut Row, start: Option<NaiveDate>, end: Option<NaiveDate>, start_column: &str, end_column: &str) {
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        r.fail(end_column, format!("{end} is before {start_column} {start}"));
    }
}

/// The binding pairs `subjects` with `subjectCodes` by position, so both lists must be equally
/// long when both are given.
fn subjects_match(r: &mut Row, subjects: &[String], codes: &[String]) {
    if !subjects.is_empty() && !codes.is_empty() && subjects.len() != codes.len() {
        r.fail(
            "subjectCodes",
            format!(
                "lists {} codes but subjects lists {}; the two lists must be the same length",
                codes.len(),
                subjects.len()
            ),
        );
    }
}
