fn main() {
    println!("configured_endpoint_urls: 0 passed, 0 failed");
}
