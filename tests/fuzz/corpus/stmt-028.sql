RESET 'table.exec.state.ttl'
