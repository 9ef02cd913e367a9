//! Writes the sample media set into a folder: `saakshi-samples DIR`.
#![allow(clippy::print_stdout)]

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: saakshi-samples DIR"))?;
    for path in saakshi_tests::samples::write_all(std::path::Path::new(&dir))? {
        println!("{}", path.display());
    }
    Ok(())
}
