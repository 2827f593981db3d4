//! Reading multipart form uploads: text fields and files, with one error for bodies that are
//! too large and one for CSV files that are not UTF-8.

use std::collections::HashMap;

use axum::extract::Multipart;
use qobe_app::AppError;

/// Everything a multipart form sent.
#[derive(Default)]
pub struct Upload {
    pub texts: HashMap<String, String>,
    /// (file name without any folder, contents) per file field, in order.
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Upload {
    pub async fn read(mut multipart: Multipart) -> Result<Upload, AppError> {
        let mut upload = Upload::default();
        while let Ok(Some(field)) = multipart.next_field().await {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(|f| f.rsplit(['/', '\\']).next().unwrap_or_default().to_owned()) {
                Some(file_name) => {
                    let bytes =
                        field.bytes().await.map_err(|_| AppError::TooLarge("The upload is too large.".into()))?;
                    upload.files.push((name, file_name, bytes.to_vec()));
                }
                None => {
                    upload.texts.insert(name, field.text().await.unwrap_or_default());
                }
            }
        }
        Ok(upload)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.texts.get(name).map(String::as_str)
    }

    /// The contents of the first file sent as `field` (empty when none was chosen).
    pub fn file(&self, field: &str) -> &[u8] {
        self.files.iter().find(|(name, _, _)| name == field).map(|(_, _, bytes)| bytes.as_slice()).unwrap_or_default()
    }

    /// The first file of `field` as CSV text; an XLSX workbook's first sheet is read as CSV.
    pub fn csv(&self, field: &str) -> Result<String, AppError> {
        let bytes = self.file(field);
        if qobe_app::spreadsheet::is_xlsx(bytes) {
            return qobe_app::spreadsheet::xlsx_to_csv(bytes, field);
        }
        String::from_utf8(bytes.to_vec())
            .map_err(|_| AppError::field(field, "must be a UTF-8 CSV file or an XLSX workbook"))
    }

    /// The message for a file that could not be read (not CSV or XLSX, too large), shown beside
    /// the file field of the form, which comes back as it was; other errors are handed back.
    pub fn problem(err: AppError) -> Result<String, AppError> {
        match err {
            AppError::Invalid(errors) => {
                Ok(errors.0.iter().map(|e| format!("The file {}.", e.message)).collect::<Vec<_>>().join(" "))
            }
            AppError::TooLarge(message) => Ok(message),
            other => Err(other),
        }
    }

    /// Every named file sent as `field`, as (file name, contents).
    pub fn named_files(&self, field: &str) -> Vec<(String, Vec<u8>)> {
        self.files
            .iter()
            .filter(|(name, file_name, _)| name == field && !file_name.is_empty())
            .map(|(_, file_name, bytes)| (file_name.clone(), bytes.clone()))
            .collect()
    }
}
